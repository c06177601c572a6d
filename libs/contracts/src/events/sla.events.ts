import type { EventEnvelope } from '../envelope';

/**
 * Derived by Funnel Ledger's SLA checker (DESIGN §7), never accepted from POST /v1/events: a
 * lead's speed-to-lead clock passed its deadline (BREACHED) or twice its limit (ESCALATED)
 * without a LeadActivityLogged. Keyed by the lead, so it shows in the lead's history; it changes
 * no report (the reports compute the clocks from the business events themselves).
 */
export const SLA_LEVELS = ['BREACHED', 'ESCALATED'] as const;
export type SlaLevel = (typeof SLA_LEVELS)[number];

export interface LeadSlaBreachedData {
  readonly leadId: string;
  readonly level: SlaLevel;
  /** When the clock ran out: start + speedToLeadMinutes (× 2 for ESCALATED); also the event's occurredAt. */
  readonly deadline: string;
  /** The published definition whose limit and working hours the clock ran on. */
  readonly definitionVersion: number;
}

export type LeadSlaBreached = EventEnvelope<'LeadSlaBreached', LeadSlaBreachedData>;

export type SlaEvent = LeadSlaBreached;

export const SLA_EVENT_TYPES = ['LeadSlaBreached'] as const satisfies readonly SlaEvent['type'][];

/** Deterministic, so restarts, replays and several checkers never make a second one. */
export const slaBreachEventId = (leadId: string, level: SlaLevel): string => `sla:${leadId}:${level}`;
