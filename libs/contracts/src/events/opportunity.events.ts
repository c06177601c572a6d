import type { EventEnvelope } from '../envelope';

// review_eliminated: the weekly review eliminated the deal (recordReviewDecision ELIMINATE).
export const LOST_REASONS = ['competitor', 'no_decision', 'price', 'timing', 'no_budget', 'other', 'review_eliminated'] as const;
export type LostReason = (typeof LOST_REASONS)[number];

export interface OpportunityCreatedData {
  readonly opportunityId: string;
  readonly accountId?: string;
  /** Links the opportunity to these leads, like a `LeadConverted` for each. */
  readonly leadIds?: readonly string[];
  readonly ownerId?: string;
  readonly amount: number;
  /** Free text: each CRM names its own opportunity stages. */
  readonly stage?: string;
}

export interface OpportunityStageChangedData {
  readonly opportunityId: string;
  readonly stage: string;
}

export interface OpportunityAmountChangedData {
  readonly opportunityId: string;
  readonly amount: number;
}

export interface OpportunityNextStepSetData {
  readonly opportunityId: string;
  readonly nextStep: string;
  readonly dueAt: string;
}

export interface OpportunityStallAcknowledgedData {
  readonly opportunityId: string;
  readonly reason: string;
  /** Until this instant the opportunity is not reported as stalled in its stage. */
  readonly resumeBy: string;
}

export interface OpportunityWonData {
  readonly opportunityId: string;
  /** Absent: the latest amount at or before the win counts. */
  readonly amount?: number;
}

export interface OpportunityLostData {
  readonly opportunityId: string;
  readonly reason: LostReason;
}

export interface OpportunityReopenedData {
  readonly opportunityId: string;
}

export type OpportunityCreated = EventEnvelope<'OpportunityCreated', OpportunityCreatedData>;
export type OpportunityStageChanged = EventEnvelope<'OpportunityStageChanged', OpportunityStageChangedData>;
export type OpportunityAmountChanged = EventEnvelope<'OpportunityAmountChanged', OpportunityAmountChangedData>;
export type OpportunityNextStepSet = EventEnvelope<'OpportunityNextStepSet', OpportunityNextStepSetData>;
export type OpportunityStallAcknowledged = EventEnvelope<'OpportunityStallAcknowledged', OpportunityStallAcknowledgedData>;
export type OpportunityWon = EventEnvelope<'OpportunityWon', OpportunityWonData>;
export type OpportunityLost = EventEnvelope<'OpportunityLost', OpportunityLostData>;
export type OpportunityReopened = EventEnvelope<'OpportunityReopened', OpportunityReopenedData>;

export type OpportunityEvent =
  | OpportunityCreated
  | OpportunityStageChanged
  | OpportunityAmountChanged
  | OpportunityNextStepSet
  | OpportunityStallAcknowledged
  | OpportunityWon
  | OpportunityLost
  | OpportunityReopened;

export type OpportunityEventType = OpportunityEvent['type'];
