import { DEFINITION_EVENT_TYPES, type DefinitionEvent } from './definition.events';
import type { FunnelEvent } from './funnel.events';
import { SLA_EVENT_TYPES, type SlaEvent } from './sla.events';

/**
 * Everything the log carries: the 20 business events accepted by ingest, the definition
 * lifecycle written by the definition mutations, and the SLA breaches derived by the checker.
 */
export type LogEvent = FunnelEvent | DefinitionEvent | SlaEvent;

export function isDefinitionEvent(e: LogEvent): e is DefinitionEvent {
  return (DEFINITION_EVENT_TYPES as readonly string[]).includes(e.type);
}

export function isSlaEvent(e: LogEvent): e is SlaEvent {
  return (SLA_EVENT_TYPES as readonly string[]).includes(e.type);
}

/**
 * The business events of a batch read from the log (what reports and most projections use). A
 * type the catalogue does not know stays in, so the projections meet it and dead-letter it.
 */
export function businessEvents(events: readonly LogEvent[]): FunnelEvent[] {
  return events.filter((e): e is FunnelEvent => !isDefinitionEvent(e) && !isSlaEvent(e));
}

/**
 * Types the log carries that only Funnel Ledger itself writes, with who writes them: ingest
 * refuses them by name instead of calling them unknown.
 */
export const INTERNAL_EVENT_WRITERS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(DEFINITION_EVENT_TYPES.map((t) => [t, 'the funnel definition mutations (GraphQL)'])),
  // SLA breaches (DESIGN §7)
  ...Object.fromEntries(SLA_EVENT_TYPES.map((t) => [t, 'the SLA breach checker'])),
};
