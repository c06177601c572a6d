import type { FunnelEvent } from '@funnel/contracts';
import {
  buildFunnelModel,
  cohortOf,
  days,
  groupByKey,
  mean,
  percentileInc,
  type Dimension,
  type FunnelStage,
} from '@funnel/domain';
import type { VelocityRow } from './velocity.rows';

export interface VelocityOptions {
  readonly from: string;
  readonly to: string;
  readonly fromStage: FunnelStage;
  readonly toStage: FunnelStage;
  readonly breakdown?: Dimension;
}

/**
 * DESIGN §4 "Velocity": days from reach(fromStage) to reach(toStage) for the leads whose
 * fromStage reach time is in the period and that reached both. Negative durations (reach times
 * out of order) are kept. A group with no such lead has no row, the unbroken total included.
 */
export function velocityReport(events: readonly FunnelEvent[], opts: VelocityOptions): VelocityRow[] {
  const model = buildFunnelModel(events);
  const cohort = cohortOf(model, opts.fromStage, opts.from, opts.to);
  const rows: VelocityRow[] = [];
  for (const [key, leads] of groupByKey(model, cohort, opts.breakdown)) {
    const durations = leads.flatMap(({ reach }) => {
      const start = reach.reachedAt[opts.fromStage] as string;
      const end = reach.reachedAt[opts.toStage];
      return end === undefined ? [] : [days(start, end)];
    });
    if (durations.length === 0) continue;
    rows.push({
      key,
      count: durations.length,
      meanDays: mean(durations),
      p50Days: percentileInc(durations, 0.5) ?? null,
      p90Days: percentileInc(durations, 0.9) ?? null,
    });
  }
  return rows;
}
