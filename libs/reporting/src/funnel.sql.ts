import { FUNNEL_STAGES, type Dimension, type FunnelStage } from '@funnel/domain';
import { entryCol, leadReachCtes, reachCol, REPORT_SETTINGS, withinWindow } from './lead-reach.sql';

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
