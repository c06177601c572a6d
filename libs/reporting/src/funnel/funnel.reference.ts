import type { FunnelEvent } from '@funnel/contracts';
import {
  FUNNEL_STAGES,
  buildFunnelModel,
  cohortOf,
  groupByKey,
  ratio,
  reachedWithin,
  type CohortLead,
  type Dimension,
  type FunnelStage,
} from '@funnel/domain';

export interface FunnelOptions {
  readonly from: string;
  readonly to: string;
  readonly anchor?: FunnelStage;
  readonly windowDays?: number;
  readonly breakdown?: Dimension;
}

export interface FunnelStageRow {
  readonly stage: FunnelStage;
  readonly entered: number;
  readonly reached: number;
  readonly skipped: number;
  readonly conversionFromPrevious: number | null;
  readonly conversionFromAnchor: number | null;
}

export interface FunnelGroup {
  /** null when the report has no breakdown. */
  readonly key: string | null;
  readonly stages: FunnelStageRow[];
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

export interface StageCount {
  readonly stage: FunnelStage;
  readonly entered: number;
  readonly reached: number;
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

/** Skipped and conversion rates from per-stage counts (in FUNNEL_STAGES order); shared with SQL. */
export function funnelStageRows(counts: readonly StageCount[], anchor: FunnelStage): FunnelStageRow[] {
  const anchorReached = counts[FUNNEL_STAGES.indexOf(anchor)].reached;
  return counts.map(({ stage, entered, reached }, i) => ({
    stage,
    entered,
    reached,
    skipped: reached - entered,
    conversionFromPrevious: i === 0 ? null : ratio(reached, counts[i - 1].reached),
    conversionFromAnchor: ratio(reached, anchorReached),
  }));
}
