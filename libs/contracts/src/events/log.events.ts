import { DEFINITION_EVENT_TYPES, type DefinitionEvent } from './definition.events';
import type { FunnelEvent } from './funnel.events';

/**
 * Everything the log carries: the 20 business events accepted by ingest, and the definition
 * lifecycle written by the definition mutations.
 */
export type LogEvent = FunnelEvent | DefinitionEvent;

export function isDefinitionEvent(e: LogEvent): e is DefinitionEvent {
  return (DEFINITION_EVENT_TYPES as readonly string[]).includes(e.type);
}

/** The business events of a batch read from the log (what reports and most projections use). */
export function businessEvents(events: readonly LogEvent[]): FunnelEvent[] {
  return events.filter((e): e is FunnelEvent => !isDefinitionEvent(e));
}
