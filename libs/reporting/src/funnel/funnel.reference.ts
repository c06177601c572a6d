import type { FunnelEvent } from '@funnel/contracts';
import {
  FUNNEL_STAGES,
  buildFunnelModel,
  cohortOf,
  groupByKey,
  reachedWithin,
  type CohortLead,
  type Dimension,
  type FunnelStage,
} from '@funnel/domain';
import { funnelStageRows, type FunnelGroup, type FunnelStageRow, type StageCount } from './funnel.rows';

export interface FunnelOptions {
  readonly from: string;
  readonly to: string;
  readonly anchor?: FunnelStage;
  readonly windowDays?: number;
  readonly breakdown?: Dimension;
}

/** DESIGN §4 "Funnel": stage counts of the leads whose anchor reach time is in the period. */
export function funnelReport(events: readonly FunnelEvent[], opts: FunnelOptions): FunnelGroup[] {
  const model = buildFunnelModel(events);
  const anchor = opts.anchor ?? 'CAPTURED';
  const cohort = cohortOf(model, anchor, opts.from, opts.to);
  return groupByKey(model, cohort, opts.breakdown).map(([key, leads]) => ({
    key,
    stages: funnelStages(leads, anchor, opts.windowDays),
  }));
}

function funnelStages(leads: readonly CohortLead[], anchor: FunnelStage, windowDays?: number): FunnelStageRow[] {
  const counts = FUNNEL_STAGES.map((stage): StageCount => {
    let entered = 0;
    let reached = 0;
    for (const { reach } of leads) {
      // Entered and reached obey the same window, so skipped = reached − entered stays >= 0.
      if (!reachedWithin(reach, stage, anchor, windowDays)) continue;
      reached++;
      if (reach.entered.has(stage)) entered++;
    }
    return { stage, entered, reached };
  });
  return funnelStageRows(counts, anchor);
}

