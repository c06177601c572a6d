import { DEFINITION_EVENT_TYPES, type DefinitionEvent } from './definition.events';
import type { FunnelEvent } from './funnel.events';
import { RETRACTION_EVENT_TYPES, type RetractionEvent } from './retraction.events';
import { REVIEW_EVENT_TYPES, type ReviewEvent } from './review.events';
import { SLA_EVENT_TYPES, type SlaEvent } from './sla.events';

/**
 * Everything the log carries: the business events accepted by ingest, the definition lifecycle
 * written by the definition mutations, the SLA breaches derived by the checker, and the weekly
 * review's decisions, and the retractions.
 */
export type LogEvent = FunnelEvent | DefinitionEvent | SlaEvent | ReviewEvent | RetractionEvent;

export function isDefinitionEvent(e: LogEvent): e is DefinitionEvent {
  return (DEFINITION_EVENT_TYPES as readonly string[]).includes(e.type);
}

export function isSlaEvent(e: LogEvent): e is SlaEvent {
  return (SLA_EVENT_TYPES as readonly string[]).includes(e.type);
}

export function isReviewEvent(e: LogEvent): e is ReviewEvent {
  return (REVIEW_EVENT_TYPES as readonly string[]).includes(e.type);
}

export function isRetractionEvent(e: LogEvent): e is RetractionEvent {
  return (RETRACTION_EVENT_TYPES as readonly string[]).includes(e.type);
}

/**
 * A business event (facts and subject state come from these). A type the catalogue does not
 * know counts as one, so the projections meet it and dead-letter it.
 */
export function isBusinessEvent(e: LogEvent): e is FunnelEvent {
  return !isDefinitionEvent(e) && !isSlaEvent(e) && !isReviewEvent(e) && !isRetractionEvent(e);
}

/** The business events of a batch read from the log (what reports and most projections use). */
export function businessEvents(events: readonly LogEvent[]): FunnelEvent[] {
  return events.filter(isBusinessEvent);
}

/**
 * Types the log carries that only Funnel Ledger itself writes, with who writes them: ingest
 * refuses them by name instead of calling them unknown.
 */
export const INTERNAL_EVENT_WRITERS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(DEFINITION_EVENT_TYPES.map((t) => [t, 'the funnel definition mutations (GraphQL)'])),
  // SLA breaches (DESIGN §7)
  ...Object.fromEntries(SLA_EVENT_TYPES.map((t) => [t, 'the SLA breach checker'])),
  // Weekly review (DESIGN §5 recordReviewDecision)
  ...Object.fromEntries(REVIEW_EVENT_TYPES.map((t) => [t, 'the recordReviewDecision mutation (GraphQL)'])),
  // Corrections (DESIGN §2)
  ...Object.fromEntries(RETRACTION_EVENT_TYPES.map((t) => [t, 'POST /v1/events/{id}/retract'])),
};
