import type { SubjectRef } from './envelope';
import { EVENT_TYPES, type FunnelEvent } from './events/funnel.events';
import { subjectOf } from './subject';

type DataByType = { readonly [E in FunnelEvent as E['type']]: E['data'] };

const DATA: DataByType = {
  LeadCaptured: { leadId: 'L-1', campaignId: 'C-1', accountId: 'A-1' },
  LeadTouched: { leadId: 'L-1', campaignId: 'C-1', channel: 'email', touchType: 'email_click' },
  LeadScored: { leadId: 'L-1', score: 80 },
  LeadStageChanged: { leadId: 'L-1', stage: 'MQL' },
  LeadQualificationUpdated: { leadId: 'L-1', budget: true },
  LeadAssigned: { leadId: 'L-1', ownerId: 'U-1' },
  LeadActivityLogged: { leadId: 'L-1', ownerId: 'U-1', activityType: 'call' },
  LeadDispositioned: { leadId: 'L-1', disposition: 'no_fit' },
  LeadRecycled: { leadId: 'L-1' },
  LeadConverted: { leadId: 'L-1', opportunityId: 'O-1', accountId: 'A-1' },
  OpportunityCreated: { opportunityId: 'O-1', accountId: 'A-1', leadIds: ['L-1'], ownerId: 'U-1', amount: 10 },
  OpportunityStageChanged: { opportunityId: 'O-1', stage: 'proposal' },
  OpportunityAmountChanged: { opportunityId: 'O-1', amount: 20 },
  OpportunityNextStepSet: { opportunityId: 'O-1', nextStep: 'demo', dueAt: '2026-03-10T00:00:00.000Z' },
  OpportunityStallAcknowledged: { opportunityId: 'O-1', reason: 'holiday', resumeBy: '2026-04-01T00:00:00.000Z' },
  OpportunityWon: { opportunityId: 'O-1' },
  OpportunityLost: { opportunityId: 'O-1', reason: 'price' },
  OpportunityReopened: { opportunityId: 'O-1' },
  CampaignLaunched: { campaignId: 'C-1', name: 'Spring', channel: 'webinar' },
  CampaignCostRecorded: {
    campaignId: 'C-1',
    amount: 5,
    periodStart: '2026-03-01T00:00:00.000Z',
    periodEnd: '2026-03-31T00:00:00.000Z',
  },
};

const eventOf = (type: FunnelEvent['type']) =>
  ({ id: `evt-${type}`, type, occurredAt: '2026-03-02T10:15:00.000Z', schemaVersion: 1, data: DATA[type] }) as FunnelEvent;

describe('subjectOf', () => {
  const expected = (type: string): SubjectRef => {
    if (type.startsWith('Lead')) return { kind: 'lead', id: 'L-1' };
    if (type.startsWith('Opportunity')) return { kind: 'opportunity', id: 'O-1' };
    return { kind: 'campaign', id: 'C-1' };
  };

  it.each(EVENT_TYPES)('keys %s by its own subject', (type) => {
    expect(subjectOf(eventOf(type))).toEqual(expected(type));
  });

  it('keys a conversion by the lead, not the opportunity it links to', () => {
    expect(subjectOf(eventOf('LeadConverted'))).toEqual({ kind: 'lead', id: 'L-1' });
  });

  it('keys a lead capture by the lead, not its campaign', () => {
    expect(subjectOf(eventOf('LeadCaptured'))).toEqual({ kind: 'lead', id: 'L-1' });
  });
});
