import { ratio } from '@funnel/domain';

/**
 * The pipeline-velocity result and its formula. Production code: the SQL runner and the reference
 * (the test oracle) both import it, and production never imports an oracle.
 */

export interface PipelineVelocity {
  readonly openOpportunities: number;
  readonly winRate: number | null;
  readonly avgWonAmount: number | null;
  readonly avgCycleDays: number | null;
  readonly velocityPerDay: number | null;
}

export interface PipelineVelocityInputs {
  readonly openOpportunities: number;
  readonly won: number;
  readonly lost: number;
  readonly avgWonAmount: number | null;
  readonly avgCycleDays: number | null;
}

/** The velocity formula itself, shared with the ClickHouse implementation. */
export function pipelineVelocityOf({ openOpportunities, won, lost, avgWonAmount, avgCycleDays }: PipelineVelocityInputs): PipelineVelocity {
  const winRate = ratio(won, won + lost);
  const velocityPerDay =
    winRate === null || avgWonAmount === null || avgCycleDays === null
      ? null
      : ratio(openOpportunities * winRate * avgWonAmount, avgCycleDays);
  return { openOpportunities, winRate, avgWonAmount, avgCycleDays, velocityPerDay };
}
