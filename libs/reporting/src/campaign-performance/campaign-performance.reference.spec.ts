import type { FunnelEvent } from '@funnel/contracts';
import { generateFunnelEvents, shuffled } from '@funnel/testing';
import fc from 'fast-check';
import { attributionReport } from '../attribution/attribution.reference';
import { campaignPerformance, costShare } from './campaign-performance.reference';

const ev = <E extends FunnelEvent>(id: string, type: E['type'], occurredAt: string, data: E['data']): E =>
  ({ id, type, occurredAt, schemaVersion: 1, data }) as E;
const d = (n: number) => new Date(Date.parse('2026-03-01T00:00:00.000Z') + n * 86_400_000).toISOString();

describe('costShare', () => {
  it('prorates by overlap with [from, to); a zero-length period counts fully if it starts inside', () => {
    expect(costShare(d(0), d(30), d(10), d(20))).toBeCloseTo(1 / 3, 12);
    expect(costShare(d(15), d(25), d(10), d(20))).toBe(0.5);
    expect(costShare(d(20), d(30), d(10), d(20))).toBe(0);
    expect(costShare(d(15), d(15), d(10), d(20))).toBe(1);
    expect(costShare(d(10), d(10), d(10), d(20))).toBe(1);
    expect(costShare(d(20), d(20), d(10), d(20))).toBe(0);
  });
});

describe('campaignPerformance', () => {
  const events = [
    ev('k0', 'CampaignLaunched', d(-5), { campaignId: 'c1', name: 'Old name', channel: 'social' }),
    ev('k1', 'CampaignLaunched', d(-1), { campaignId: 'c1', name: 'Spring webinar', channel: 'social' }),
    ev('m1', 'CampaignCostRecorded', d(30), { campaignId: 'c1', amount: 300, periodStart: d(0), periodEnd: d(30) }),
    ev('m2', 'CampaignCostRecorded', d(15), { campaignId: 'c1', amount: 50, periodStart: d(15), periodEnd: d(15) }),
    ev('m3', 'CampaignCostRecorded', d(20), { campaignId: 'c1', amount: 70, periodStart: d(20), periodEnd: d(20) }),
    ev('m4', 'CampaignCostRecorded', d(25), { campaignId: 'c2', amount: 100, periodStart: d(15), periodEnd: d(25) }),
    // L1: captured from c1 in the period, MQL and SQL; touched by the unlaunched c3.
    ev('l1', 'LeadCaptured', d(11), { leadId: 'L1', campaignId: 'c1' }),
    ev('l2', 'LeadStageChanged', d(12), { leadId: 'L1', stage: 'MQL' }),
    ev('l3', 'LeadTouched', d(13), { leadId: 'L1', campaignId: 'c3', channel: 'referral', touchType: 'event' }),
    ev('l4', 'LeadStageChanged', d(13), { leadId: 'L1', stage: 'SQL' }),
    // L2: sourced by its earliest touch (c1); its SQL after the period still counts, and implies MQL.
    ev('n1', 'LeadTouched', d(5), { leadId: 'L2', campaignId: 'c1', channel: 'social', touchType: 'ad_click' }),
    ev('n2', 'LeadCaptured', d(12), { leadId: 'L2' }),
    ev('n3', 'LeadStageChanged', d(30), { leadId: 'L2', stage: 'SQL' }),
    // L3 is captured after the period; L4 has no source campaign.
    ev('p1', 'LeadCaptured', d(25), { leadId: 'L3', campaignId: 'c1' }),
    ev('q1', 'LeadCaptured', d(15), { leadId: 'L4' }),
    // O1 from L1: LINEAR splits it between c1 (capture) and c3.
    ev('o1', 'OpportunityCreated', d(14), { opportunityId: 'O1', leadIds: ['L1'], amount: 1000 }),
    ev('o2', 'OpportunityWon', d(18), { opportunityId: 'O1', amount: 2000 }),
  ];

  it('computes cost, sourced leads and attributed pipeline and revenue per campaign', () => {
    const rows = campaignPerformance(events, { from: d(10), to: d(20), model: 'LINEAR' });
    expect(rows.map((r) => r.campaignId)).toEqual(['c1', 'c2', 'c3']);
    const [c1, c2, c3] = rows;
    expect(c1).toMatchObject({
      name: 'Spring webinar', channel: 'social', leads: 2, mqls: 2, sqls: 2,
      opportunities: 0.5, attributedPipeline: 500, wonDeals: 0.5, attributedRevenue: 1000,
    });
    expect(c1.cost).toBeCloseTo(150, 9); // 300 × 10/30 + 50; the zero-length cost at `to` is out
    expect(c1.costPerLead).toBeCloseTo(75, 9);
    expect(c1.costPerWonDeal).toBeCloseTo(300, 9);
    expect(c1.roas).toBeCloseTo(1000 / 150, 9);
    expect(c2).toEqual({
      campaignId: 'c2', name: null, channel: null, cost: 50, costRecorded: true, leads: 0, mqls: 0, sqls: 0, opportunities: 0,
      attributedPipeline: 0, wonDeals: 0, attributedRevenue: 0, costPerLead: null, costPerWonDeal: null, roas: 0,
    });
    expect(c3).toMatchObject({ name: null, cost: 0, leads: 0, opportunities: 0.5, wonDeals: 0.5, attributedRevenue: 1000, roas: null });
    // No cost record: the cost ratios are unknown (null), not 0 per won deal.
    expect(c3).toMatchObject({ costRecorded: false, costPerLead: null, costPerWonDeal: null });
  });

  it('takes its credit from the attribution report', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.constantFrom('W_SHAPED' as const, 'TIME_DECAY' as const), (seed, model) => {
        const generated = generateFunnelEvents({ leads: 40, seed, start: d(-60) });
        const opts = { from: d(-50), to: d(20), model, lookbackDays: 90, halfLifeDays: 7 };
        const rows = campaignPerformance(generated, opts);
        const won = attributionReport(generated, { ...opts, milestone: 'WON' }).rows.filter((r) => r.key !== '(none)');
        for (const r of won) expect(rows.find((x) => x.campaignId === r.key)?.attributedRevenue).toBe(r.value);
        expect(campaignPerformance(shuffled([...generated, ...generated.slice(0, 30)], seed), opts)).toEqual(rows);
      }),
      { numRuns: 50 },
    );
  });
});
