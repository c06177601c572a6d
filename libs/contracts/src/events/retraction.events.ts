import type { EventEnvelope, SubjectKind } from '../envelope';

/**
 * Corrections without deletion (DESIGN §2): written only by POST /v1/events/{id}/retract, never
 * accepted from POST /v1/events. Every read model and report then behaves as if the retracted
 * event had never been accepted; the log keeps both. It sits under the retracted event's subject,
 * so it is ordered after that event, and carries what the projections need to rebuild the subject.
 */
export interface EventRetractedData {
  readonly eventId: string;
  readonly reason: string;
  /** Who retracted: the authenticated caller. */
  readonly by: string;
  /** The retracted event's type and subject. */
  readonly retractedType: string;
  readonly subjectKind: Exclude<SubjectKind, 'definition'>;
  readonly subjectId: string;
}

export type EventRetracted = EventEnvelope<'EventRetracted', EventRetractedData>;

export type RetractionEvent = EventRetracted;

export const RETRACTION_EVENT_TYPES = ['EventRetracted'] as const satisfies readonly RetractionEvent['type'][];

/** Deterministic, so retracting twice is a duplicate of the first retraction. */
export const retractionEventId = (eventId: string): string => `retract:${eventId}`;
