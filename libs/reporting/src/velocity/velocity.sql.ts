import type { ClickHouse } from '@funnel/clickhouse';
import type { Dimension, FunnelStage } from '@funnel/domain';
import type { VelocityRow } from './velocity.rows';
import { daysBetween, leadReachCtes, reachCol, REPORT_SETTINGS } from '../lead-reach.sql';

export interface VelocityQuery {
  readonly fromStage: FunnelStage;
  readonly toStage: FunnelStage;
  readonly breakdown?: Dimension;
}

/**
 * Days from reach(fromStage) to reach(toStage) for leads whose fromStage reach is in
 * [{from}, {to}) and that reached both; quantileExactInclusive is Excel's PERCENTILE.INC.
 * Keys whose leads never reached toStage have no row.
 */
export function velocitySql(q: VelocityQuery): string {
  const from = reachCol(q.fromStage);
  const to = reachCol(q.toStage);
  return `WITH ${leadReachCtes(q.breakdown)}
SELECT key, count() AS count, avg(d) AS meanDays,
       quantileExactInclusive(0.5)(d) AS p50Days, quantileExactInclusive(0.9)(d) AS p90Days
FROM (
  SELECT key, ${daysBetween(from, to)} AS d
  FROM reach
  WHERE ${from} >= {from:DateTime64(3, 'UTC')} AND ${from} < {to:DateTime64(3, 'UTC')} AND ${to} IS NOT NULL
)
GROUP BY key
ORDER BY key
${REPORT_SETTINGS}`;
}

export interface VelocityParams extends VelocityQuery {
  readonly from: string;
  readonly to: string;
}

export async function runVelocity(ch: ClickHouse, p: VelocityParams): Promise<VelocityRow[]> {
  const rows = await ch.query<{ key: string | null; count: string; meanDays: number; p50Days: number; p90Days: number }>(
    velocitySql(p),
    { from: p.from, to: p.to },
  );
  return rows.map((r) => ({ key: r.key, count: Number(r.count), meanDays: r.meanDays, p50Days: r.p50Days, p90Days: r.p90Days }));
}
