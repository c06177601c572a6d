import { FUNNEL_STAGES, ratio, type FunnelStage } from '@funnel/domain';

/**
 * The funnel report's rows and how per-stage counts become them. Production code: the SQL runner
 * and the reference (the test oracle) both import it, and production never imports an oracle.
 */

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

export interface StageCount {
  readonly stage: FunnelStage;
  readonly entered: number;
  readonly reached: number;
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
