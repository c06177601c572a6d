import type { EventEnvelope } from '../envelope';

/**
 * The weekly review's decisions (DESIGN §4 "Weekly review sample", §5 recordReviewDecision).
 * Written only by the recordReviewDecision mutation, never accepted from POST /v1/events: the
 * mutation records who decided (the caller) and appends the business event the decision implies.
 * Each decision sits under the subject it is about, so it is ordered with that subject's events.
 */
export const REVIEW_DECISIONS = ['ADVANCE', 'ELIMINATE', 'RECYCLE'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

export const REVIEW_SUBJECT_KINDS = ['lead', 'opportunity'] as const;
export type ReviewSubjectKind = (typeof REVIEW_SUBJECT_KINDS)[number];

export interface ReviewDecisionRecordedData {
  /** The meeting: the weekOf the sample was drawn for (UTC, ms). */
  readonly weekOf: string;
  readonly subjectId: string;
  readonly subjectKind: ReviewSubjectKind;
  readonly decision: ReviewDecision;
  readonly note?: string;
  /** Who decided: the authenticated caller. */
  readonly by: string;
  /** The business event the decision appended (none for ADVANCE, a commitment only). */
  readonly appliedEventId?: string;
}

export type ReviewDecisionRecorded = EventEnvelope<'ReviewDecisionRecorded', ReviewDecisionRecordedData>;

export type ReviewEvent = ReviewDecisionRecorded;

export const REVIEW_EVENT_TYPES = ['ReviewDecisionRecorded'] as const satisfies readonly ReviewEvent['type'][];
