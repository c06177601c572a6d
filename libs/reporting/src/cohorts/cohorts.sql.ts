import type { ClickHouse } from '@funnel/clickhouse';
import type { FunnelStage, Grain } from '@funnel/domain';
import { cohortRow, type CohortRow } from './cohorts.rows';
import { leadReachCtes, millis, reachCol, REPORT_SETTINGS, withinWindow } from '../lead-reach.sql';

export interface CohortsQuery {
  readonly grain: Grain;
  readonly target: FunnelStage;
  readonly anchor: FunnelStage;
  readonly windowDays?: number;
}

/** Calendar label of the anchor reach time (UTC): YYYY-MM-DD, ISO YYYY-Www, YYYY-MM. */
function cohortLabel(grain: Grain, col: string): string {
  switch (grain) {
    case 'DAY':
      return `formatDateTime(${col}, '%Y-%m-%d', 'UTC')`;
    case 'WEEK':
      return `concat(toString(toISOYear(${col})), '-W', leftPad(toString(toISOWeek(${col})), 2, '0'))`;
    case 'MONTH':
      return `formatDateTime(${col}, '%Y-%m', 'UTC')`;
  }
}

/**
 * Non-empty cohorts of the anchor reach time in [{from}, {to}): size, converted (reached the
 * target within the window) and matured (anchor at least W days before {asOf}).
 */
export function cohortsSql(q: CohortsQuery): string {
  const anchor = reachCol(q.anchor);
  const matured =
    q.windowDays === undefined ? 'count()' : `countIf(${millis(anchor)} + {windowDays:Int64} * 86400000 <= ${millis('{asOf:DateTime64(3, \'UTC\')}')})`;
  return `WITH ${leadReachCtes()}
SELECT ${cohortLabel(q.grain, anchor)} AS cohort,
       count() AS size,
       countIf(${reachCol(q.target)} IS NOT NULL AND ${withinWindow(q.target, q.anchor, q.windowDays)}) AS converted,
       ${matured} AS matured
FROM reach
WHERE ${anchor} >= {from:DateTime64(3, 'UTC')} AND ${anchor} < {to:DateTime64(3, 'UTC')}
GROUP BY cohort
ORDER BY cohort
${REPORT_SETTINGS}`;
}

export interface CohortsParams extends CohortsQuery {
  readonly from: string;
  readonly to: string;
  readonly asOf: string;
}

export async function runCohorts(ch: ClickHouse, p: CohortsParams): Promise<CohortRow[]> {
  const rows = await ch.query<{ cohort: string; size: string; converted: string; matured: string }>(cohortsSql(p), {
    from: p.from,
    to: p.to,
    asOf: p.asOf,
    windowDays: p.windowDays,
  });
  return rows.map((r) => cohortRow(r.cohort, { size: Number(r.size), converted: Number(r.converted), mature: Number(r.matured) }));
}
