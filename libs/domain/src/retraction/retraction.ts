import { isBusinessEvent, retractionEventId, subjectOf, type EventRetracted, type LogEvent } from '@funnel/contracts';

/** Longer reasons are notes, not reasons. */
export const MAX_RETRACTION_REASON_LENGTH = 2000;

export class RetractionError extends Error {
  constructor(
    readonly code: 'INVALID_REASON' | 'NOT_RETRACTABLE',
    message: string,
  ) {
    super(message);
  }
}

/**
 * The EventRetracted for `event` (DESIGN §2): under the retracted event's subject, so it is
 * ordered after it, with what the projections need to rebuild that subject. Only business events
 * can be retracted: the ones Funnel Ledger writes itself (retractions included) are its own record.
 */
export function retractionOf(event: LogEvent, c: { reason: unknown; by: string; at: string }): EventRetracted {
  if (typeof c.reason !== 'string' || c.reason.trim() === '' || c.reason.length > MAX_RETRACTION_REASON_LENGTH) {
    throw new RetractionError('INVALID_REASON', `reason: a non-empty string of at most ${MAX_RETRACTION_REASON_LENGTH} characters is required`);
  }
  if (!isBusinessEvent(event)) {
    throw new RetractionError('NOT_RETRACTABLE', `event ${JSON.stringify(event.id)} is a ${event.type}, which Funnel Ledger writes itself; only business events can be retracted`);
  }
  const subject = subjectOf(event) as { kind: EventRetracted['data']['subjectKind']; id: string };
  return {
    id: retractionEventId(event.id),
    type: 'EventRetracted',
    occurredAt: c.at,
    schemaVersion: 1,
    data: { eventId: event.id, reason: c.reason, by: c.by, retractedType: event.type, subjectKind: subject.kind, subjectId: subject.id },
  };
}
