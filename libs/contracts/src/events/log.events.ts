import { DEFINITION_EVENT_TYPES, type DefinitionEvent } from './definition.events';
import { isFunnelEventType, type FunnelEvent } from './funnel.events';
import type { ReviewEvent } from './review.events';

/**
 * Everything the log carries: the business events accepted by ingest, the definition lifecycle
 * written by the definition mutations, and the weekly review's decisions.
 */
export type LogEvent = FunnelEvent | DefinitionEvent | ReviewEvent;

export function isDefinitionEvent(e: LogEvent): e is DefinitionEvent {
  return (DEFINITION_EVENT_TYPES as readonly string[]).includes(e.type);
}

/** A business event: one of the types POST /v1/events accepts (facts and subject state come from these). */
export function isBusinessEvent(e: LogEvent): e is FunnelEvent {
  return isFunnelEventType(e.type);
}

/** The business events of a batch read from the log (what reports and most projections use). */
export function businessEvents(events: readonly LogEvent[]): FunnelEvent[] {
  return events.filter(isBusinessEvent);
}
