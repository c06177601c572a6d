import type { ClickHouse } from '@funnel/clickhouse';
import { FUNNEL_STAGES, type Dimension, type FunnelStage } from '@funnel/domain';
import { funnelStageRows, type FunnelGroup } from './funnel.rows';
import { entryCol, leadReachCtes, reachCol, REPORT_SETTINGS, withinWindow } from '../lead-reach.sql';

export interface FunnelQuery {
  readonly anchor: FunnelStage;
  readonly windowDays?: number;
  readonly breakdown?: Dimension;
}

/**
 * Entered and reached counts per stage for the cohort whose anchor reach time is in
 * [{from}, {to}), per breakdown key. Params: from, to (DateTime64), windowDays (Int64) if set.
 */
export function funnelSql(q: FunnelQuery): string {
  const counts = FUNNEL_STAGES.flatMap((s) => {
    const within = withinWindow(s, q.anchor, q.windowDays);
    return [
      `countIf(${entryCol(s)} IS NOT NULL AND ${within}) AS entered_${s}`,
      `countIf(${reachCol(s)} IS NOT NULL AND ${within}) AS reached_${s}`,
    ];
  });
  return `WITH ${leadReachCtes(q.breakdown)}
SELECT key, ${counts.join(',\n       ')}
FROM reach
WHERE ${reachCol(q.anchor)} >= {from:DateTime64(3, 'UTC')} AND ${reachCol(q.anchor)} < {to:DateTime64(3, 'UTC')}
GROUP BY key
ORDER BY key
${REPORT_SETTINGS}`;
}

export interface FunnelParams extends FunnelQuery {
  readonly from: string;
  readonly to: string;
}

/** DESIGN §4 Funnel; without a breakdown there is always one group (zeros for an empty cohort). */
export async function runFunnel(ch: ClickHouse, p: FunnelParams): Promise<FunnelGroup[]> {
  const rows = await ch.query<Record<string, string | null>>(funnelSql(p), { from: p.from, to: p.to, windowDays: p.windowDays });
  const groups = rows.map((r) => ({
    key: r.key,
    stages: funnelStageRows(
      FUNNEL_STAGES.map((stage) => ({ stage, entered: Number(r[`entered_${stage}`]), reached: Number(r[`reached_${stage}`]) })),
      p.anchor,
    ),
  }));
  if (p.breakdown === undefined && groups.length === 0) {
    return [{ key: null, stages: funnelStageRows(FUNNEL_STAGES.map((stage) => ({ stage, entered: 0, reached: 0 })), p.anchor) }];
  }
  return groups;
}
