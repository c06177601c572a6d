import type {
  FunnelEvent,
  ReviewDecision,
  ReviewDecisionRecorded,
  ReviewDecisionRecordedData,
} from '@funnel/contracts';
import { createHash } from 'node:crypto';

/**
 * A weekly review decision and what it does to its subject (recordReviewDecision): ADVANCE is a
 * commitment only; ELIMINATE closes the subject (OpportunityLost `review_eliminated`, or
 * LeadDispositioned `other` with note `review_eliminated`); RECYCLE hands a lead back to
 * marketing (LeadRecycled). Ids derive from (weekOf, subject, decision), so a retried decision
 * appends nothing new; a different decision on the same subject and week is a new one.
 */

export const REVIEW_ELIMINATED = 'review_eliminated';
export const REVIEW_RECYCLED = 'review_recycled';

export class ReviewDecisionError extends Error {
  constructor(
    readonly code: 'INVALID_REVIEW_DECISION',
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/** A decision as the mutation takes it: the recorded data without what applying it adds. */
export interface ReviewDecisionInput extends Omit<ReviewDecisionRecordedData, 'appliedEventId'> {
  /** When it was decided (UTC, ms): the business time of the decision and of what it appends. */
  readonly at: string;
}

export function reviewDecisionId(weekOf: string, subjectId: string, decision: ReviewDecision): string {
  // Hashed: a subject id may be 128 characters on its own, and an event id may not be longer.
  const digest = createHash('sha256').update(JSON.stringify([weekOf, subjectId, decision])).digest('hex');
  return `review:${digest.slice(0, 40)}`;
}

type AppliedBody = Pick<FunnelEvent, 'type' | 'data'>;

function appliedBody(d: ReviewDecisionInput): AppliedBody | undefined {
  switch (d.decision) {
    case 'ADVANCE':
      return undefined;
    case 'ELIMINATE':
      return d.subjectKind === 'opportunity'
        ? { type: 'OpportunityLost', data: { opportunityId: d.subjectId, reason: REVIEW_ELIMINATED } }
        : { type: 'LeadDispositioned', data: { leadId: d.subjectId, disposition: 'other', note: REVIEW_ELIMINATED } };
    case 'RECYCLE':
      if (d.subjectKind === 'opportunity') {
        throw new ReviewDecisionError('INVALID_REVIEW_DECISION', 'RECYCLE applies to leads only; ELIMINATE or ADVANCE an opportunity', 'decision');
      }
      return { type: 'LeadRecycled', data: { leadId: d.subjectId, reason: REVIEW_RECYCLED } };
  }
}

/** The decision event, then the business event it implies (none for ADVANCE). */
export function reviewDecisionEvents(d: ReviewDecisionInput): [ReviewDecisionRecorded, ...FunnelEvent[]] {
  const id = reviewDecisionId(d.weekOf, d.subjectId, d.decision);
  const body = appliedBody(d);
  const applied = body && ({ id: `${id}:applied`, occurredAt: d.at, schemaVersion: 1, source: 'review', ...body } as FunnelEvent);
  const recorded: ReviewDecisionRecorded = {
    id,
    type: 'ReviewDecisionRecorded',
    occurredAt: d.at,
    schemaVersion: 1,
    source: 'review',
    data: {
      weekOf: d.weekOf,
      subjectId: d.subjectId,
      subjectKind: d.subjectKind,
      decision: d.decision,
      ...(d.note !== undefined ? { note: d.note } : {}),
      by: d.by,
      ...(applied ? { appliedEventId: applied.id } : {}),
    },
  };
  return applied ? [recorded, applied] : [recorded];
}
