/**
 * The stall reasons, thresholds and the stalled-opportunity row. Production code: the SQL runner
 * and the reference (the test oracle) both import it, and production never imports an oracle.
 */

export const STALL_REASONS = ['STALLED_IN_STAGE', 'NEXT_STEP_OVERDUE', 'NO_NEXT_STEP'] as const;
export type StallReason = (typeof STALL_REASONS)[number];

export interface StallDays {
  readonly default: number;
  /** Overrides per opportunity stage (free text, matched exactly). */
  readonly byStage: Readonly<Record<string, number>>;
}

export interface StalledOpportunity {
  readonly id: string;
  readonly stage: string | null;
  readonly amount: number | null;
  readonly ownerId: string | null;
  readonly daysInStage: number;
  /** In STALL_REASONS order. */
  readonly reasons: StallReason[];
}
