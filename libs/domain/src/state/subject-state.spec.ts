import type { CampaignEvent, FunnelEvent, LeadEvent, OpportunityEvent } from '@funnel/contracts';
import { generateFunnelEvents, shuffled } from '@funnel/testing';
import fc from 'fast-check';
import { evolveCampaign } from './campaign.state';
import { evolveLead, type LeadState } from './lead.state';
import { currentOpportunityStage, evolveOpportunity, type OpportunityState } from './opportunity.state';

const ev = <E extends FunnelEvent>(id: string, type: E['type'], occurredAt: string, data: E['data']): E =>
  ({ id, type, occurredAt, schemaVersion: 1, data }) as E;

function foldLeads(events: readonly FunnelEvent[]) {
  const states = new Map<string, LeadState>();
  for (const e of events) {
    if (!('leadId' in e.data) || e.type.startsWith('Opportunity')) continue;
    const l = e as LeadEvent;
    states.set(l.data.leadId, evolveLead(states.get(l.data.leadId), l));
  }
  return Object.fromEntries([...states].sort());
}

function foldOpportunities(events: readonly FunnelEvent[]) {
  const states = new Map<string, OpportunityState>();
  for (const e of events) {
    if (!e.type.startsWith('Opportunity')) continue;
    const o = e as OpportunityEvent;
    states.set(o.data.opportunityId, evolveOpportunity(states.get(o.data.opportunityId), o));
  }
  return Object.fromEntries([...states].sort());
}

describe('evolveLead', () => {
  it('given a captured lead, when stages change out of order, then each stage keeps its first entry', () => {
    const s = [
      ev<LeadEvent>('e3', 'LeadStageChanged', '2026-03-05T00:00:00.000Z', { leadId: 'L', stage: 'MQL' }),
      ev<LeadEvent>('e1', 'LeadCaptured', '2026-03-01T00:00:00.000Z', { leadId: 'L', campaignId: 'C1', channel: 'social' }),
      ev<LeadEvent>('e2', 'LeadStageChanged', '2026-03-02T00:00:00.000Z', { leadId: 'L', stage: 'MQL' }),
      ev<LeadEvent>('e4', 'LeadStageChanged', '2026-03-03T00:00:00.000Z', { leadId: 'L', stage: 'SQL' }),
    ].reduce<LeadState | undefined>(evolveLead, undefined) as LeadState;
    expect(s.capture?.at).toBe('2026-03-01T00:00:00.000Z');
    expect(s.stageEntries.MQL?.id).toBe('e2');
    expect(s.stageEntries.SQL?.id).toBe('e4');
    // The latest change by business time is the current stage, whatever arrived last.
    expect(s.currentStage?.value).toBe('MQL');
    expect(s.firstTouch?.value).toEqual({ campaignId: 'C1', channel: 'social' });
  });

  it('keeps each BANT field as its own latest value', () => {
    const s = [
      ev<LeadEvent>('q1', 'LeadQualificationUpdated', '2026-03-01T00:00:00.000Z', { leadId: 'L', budget: true, need: false }),
      ev<LeadEvent>('q2', 'LeadQualificationUpdated', '2026-03-02T00:00:00.000Z', { leadId: 'L', need: true, timelineDays: 30 }),
    ].reduce<LeadState | undefined>(evolveLead, undefined) as LeadState;
    expect([s.budget?.value, s.authority, s.need?.value, s.timelineDays?.value]).toEqual([true, undefined, true, 30]);
  });

  it('breaks ties at the same instant by event id', () => {
    const a = ev<LeadEvent>('b', 'LeadAssigned', '2026-03-01T00:00:00.000Z', { leadId: 'L', ownerId: 'rep-b' });
    const b = ev<LeadEvent>('a', 'LeadAssigned', '2026-03-01T00:00:00.000Z', { leadId: 'L', ownerId: 'rep-a' });
    expect(evolveLead(evolveLead(undefined, a), b).owner?.value.ownerId).toBe('rep-b');
    expect(evolveLead(evolveLead(undefined, b), a).owner?.value.ownerId).toBe('rep-b');
  });
});

describe('evolveOpportunity', () => {
  it('given a won deal, when it is reopened and lost, then status follows business time and the first win stays', () => {
    const s = [
      ev<OpportunityEvent>('o3', 'OpportunityLost', '2026-04-10T00:00:00.000Z', { opportunityId: 'O', reason: 'price' }),
      ev<OpportunityEvent>('o1', 'OpportunityCreated', '2026-03-01T00:00:00.000Z', { opportunityId: 'O', amount: 100, stage: 'discovery' }),
      ev<OpportunityEvent>('o2', 'OpportunityWon', '2026-04-01T00:00:00.000Z', { opportunityId: 'O', amount: 120 }),
      ev<OpportunityEvent>('o4', 'OpportunityReopened', '2026-04-05T00:00:00.000Z', { opportunityId: 'O' }),
    ].reduce<OpportunityState | undefined>(evolveOpportunity, undefined) as OpportunityState;
    expect(s.status?.value).toEqual({ status: 'lost', reason: 'price' });
    expect(s.firstWon?.at).toBe('2026-04-01T00:00:00.000Z');
    expect(s.amount?.value).toBe(120);
    expect(currentOpportunityStage(s)).toBe('discovery');
  });
});

describe('evolveCampaign', () => {
  it('describes the campaign by its latest launch event', () => {
    const s = [
      ev<CampaignEvent>('c2', 'CampaignLaunched', '2026-01-02T00:00:00.000Z', { campaignId: 'C', name: 'Renamed', channel: 'email' }),
      ev<CampaignEvent>('c1', 'CampaignLaunched', '2026-01-01T00:00:00.000Z', { campaignId: 'C', name: 'First', channel: 'email' }),
    ].reduce(evolveCampaign, undefined);
    expect(s?.launch?.value.name).toBe('Renamed');
  });
});

describe('subject state is a pure function of the set of events', () => {
  it('any order and any duplicates give the same state', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer(), (seed, shuffleSeed) => {
        const events = generateFunnelEvents({ leads: 15, seed });
        const replayed = shuffled([...events, ...events.slice(0, events.length / 3)], shuffleSeed);
        expect(foldLeads(replayed)).toEqual(foldLeads(events));
        expect(foldOpportunities(replayed)).toEqual(foldOpportunities(events));
      }),
      { numRuns: 50 },
    );
  });
});
