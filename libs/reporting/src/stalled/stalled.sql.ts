import type { ClickHouse } from '@funnel/clickhouse';
import { STALL_REASONS, type StallDays, type StalledOpportunity } from './stalled.rows';
import { daysBetween } from '../lead-reach.sql';
import { OPPORTUNITY_AT_CTE } from '../opportunity-at.sql';

/**
 * Open opportunities at {asOf} with at least one stall reason, longest in stage first, one page
 * of {limit} after the keyset ({afterDays}, {afterId}) when {hasAfter}, each row carrying the
 * total count. Keyset rather than offset: an opportunity that turns up between two pages cannot
 * push a row of the first page onto the second. Stall days per stage come as two parallel arrays
 * ({stages}, {stageDays}) with {defaultDays} for any other stage.
 */
export const STALLED_SQL = `WITH ${OPPORTUNITY_AT_CTE},
flagged AS (
  SELECT opportunity_id AS id, stage_at AS stage, amount_at AS amount, owner_at AS owner_id,
         ${daysBetween('stage_since', "{asOf:DateTime64(3, 'UTC')}")} AS days_in_stage,
         days_in_stage > transform(ifNull(stage_at, ''), {stages:Array(String)}, {stageDays:Array(Float64)}, {defaultDays:Float64})
           AND NOT acknowledged AS stalled_in_stage,
         has_next_step AND next_step_due < {asOf:DateTime64(3, 'UTC')} AS next_step_overdue,
         NOT has_next_step AS no_next_step
  FROM opp_at
  WHERE status = 'open'
)
SELECT * FROM (
  SELECT id, stage, amount, owner_id, days_in_stage, stalled_in_stage, next_step_overdue, no_next_step,
         count() OVER () AS total
  FROM flagged
  WHERE stalled_in_stage OR next_step_overdue OR no_next_step
)
WHERE {hasAfter:UInt8} = 0 OR days_in_stage < {afterDays:Float64} OR (days_in_stage = {afterDays:Float64} AND id > {afterId:String})
ORDER BY days_in_stage DESC, id ASC
LIMIT {limit:UInt32}
SETTINGS join_use_nulls = 1`;

/** Where a page of the stalled list starts: after this row of the sort order. */
export interface StalledKey {
  readonly daysInStage: number;
  readonly id: string;
}

export interface StalledParams {
  readonly asOf: string;
  readonly stallDays: StallDays;
  readonly limit: number;
  /** The last row of the previous page; none for the first page. */
  readonly after?: StalledKey;
}

/** One page of the stalled list and the total count, same rows as the reference. */
export async function runStalled(ch: ClickHouse, p: StalledParams): Promise<{ totalCount: number; items: StalledOpportunity[] }> {
  const stages = Object.keys(p.stallDays.byStage);
  const rows = await ch.query<{
    id: string; stage: string | null; amount: number | null; owner_id: string | null; days_in_stage: number;
    stalled_in_stage: number; next_step_overdue: number; no_next_step: number; total: string;
  }>(STALLED_SQL, {
    asOf: p.asOf,
    stages,
    stageDays: stages.map((s) => p.stallDays.byStage[s]),
    defaultDays: p.stallDays.default,
    limit: p.limit,
    hasAfter: p.after === undefined ? 0 : 1,
    afterDays: p.after?.daysInStage ?? 0,
    afterId: p.after?.id ?? '',
  });
  const totalCount = rows.length > 0 ? Number(rows[0].total) : await countStalled(ch, p);
  return {
    totalCount,
    items: rows.map((r) => ({
      id: r.id,
      stage: r.stage,
      amount: r.amount,
      ownerId: r.owner_id,
      daysInStage: r.days_in_stage,
      reasons: STALL_REASONS.filter((_, i) => [r.stalled_in_stage, r.next_step_overdue, r.no_next_step][i]),
    })),
  };
}

/** A page past the end has no rows to carry the total; ask for it alone. */
async function countStalled(ch: ClickHouse, p: StalledParams): Promise<number> {
  if (p.after === undefined) return 0;
  const { totalCount } = await runStalled(ch, { ...p, limit: 1, after: undefined });
  return totalCount;
}
