import type { FunnelEvent } from '@funnel/contracts';

/** The event-log port's contract fixtures, shared by the PostgreSQL and Kafka adapter suites. */
export function stageChanged(id: string, leadId = `L-${id}`): FunnelEvent {
  return { id, type: 'LeadStageChanged', occurredAt: '2026-03-02T10:15:00.000Z', schemaVersion: 1, data: { leadId, stage: 'MQL' } };
}

/**
 * Three distinct events whose ids get re-sent with other payloads: the first payload of each id
 * must be what the log keeps, every optional envelope field intact.
 */
export function firstIdWinsEvents(): { first: FunnelEvent; second: FunnelEvent; third: FunnelEvent } {
  return {
    first: { ...stageChanged('a'), source: 'hubspot' },
    second: {
      id: 'b',
      type: 'OpportunityCreated',
      occurredAt: '2026-03-02T10:15:00.123Z',
      schemaVersion: 2,
      currency: 'USD',
      data: { opportunityId: 'O-1', amount: 1250.5, leadIds: ['L-a'] },
    },
    third: stageChanged('c'),
  };
}
