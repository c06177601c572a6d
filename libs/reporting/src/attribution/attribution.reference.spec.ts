import type { FunnelEvent } from '@funnel/contracts';
import { generateFunnelEvents, shuffled } from '@funnel/testing';
import fc from 'fast-check';
import { ATTRIBUTION_MODELS, MILESTONES, type AttributionModel } from '@funnel/domain';
import { attributionReport, journeyWeights } from './attribution.reference';
import type { AttributionReport } from './attribution.rows';

const ev = <E extends FunnelEvent>(id: string, type: E['type'], occurredAt: string, data: E['data']): E =>
  ({ id, type, occurredAt, schemaVersion: 1, data }) as E;
/** Day n after 2026-03-01 (fractions allowed), as a normalised instant. */
const d = (n: number) => new Date(Date.parse('2026-03-01T00:00:00.000Z') + n * 86_400_000).toISOString();
const at = (...ns: number[]) => ns.map((n) => ({ at: d(n) }));

/** Rows as { key: credit } for compact expectations. */
const credits = (r: AttributionReport) => Object.fromEntries(r.rows.map((x) => [x.key, x.credit]));
const values = (r: AttributionReport) => Object.fromEntries(r.rows.map((x) => [x.key, x.value]));
function expectClose(actual: Record<string, number>, expected: Record<string, number>) {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  for (const [k, v] of Object.entries(expected)) expect(actual[k]).toBeCloseTo(v, 9);
}
const closeTo = (xs: number[], expected: number[]) => {
  expect(xs).toHaveLength(expected.length);
  xs.forEach((x, i) => expect(x).toBeCloseTo(expected[i], 12));
};

describe('journeyWeights', () => {
  const lead = (n: number) => ({ at: d(n), leadCreatedAt: d(n) });

  it('gives a single touch all the credit under every model', () => {
    for (const model of ATTRIBUTION_MODELS) closeTo(journeyWeights(model, at(0), lead(0), 7), [1]);
  });

  it('splits n = 2 journeys per model', () => {
    const m = lead(1);
    closeTo(journeyWeights('FIRST_TOUCH', at(0, 1), m, 7), [1, 0]);
    closeTo(journeyWeights('LAST_TOUCH', at(0, 1), m, 7), [0, 1]);
    closeTo(journeyWeights('LINEAR', at(0, 1), m, 7), [0.5, 0.5]);
    closeTo(journeyWeights('POSITION_BASED', at(0, 1), m, 7), [0.5, 0.5]);
    // FT and LC are distinct and there are no others: their 0.2 share vanishes.
    closeTo(journeyWeights('U_SHAPED', at(0, 1), m, 7), [0.5, 0.5]);
    // TIME_DECAY, half-life 7: raw 2^(−1/7) = 0.905723664 and 1.
    closeTo(journeyWeights('TIME_DECAY', at(0, 1), m, 7), [0.47526495118259765, 0.5247350488174024]);
  });

  it('gives POSITION_BASED middles 0.2/(n−2)', () => {
    closeTo(journeyWeights('POSITION_BASED', at(0, 1, 2, 3), lead(3), 7), [0.4, 0.1, 0.1, 0.4]);
    closeTo(journeyWeights('POSITION_BASED', at(0, 1, 2), lead(3), 7), [0.4, 0.2, 0.4]);
  });

  it('adds the shares of a touch holding several milestones (FT = LC)', () => {
    // Opportunity conversion whose lead was captured at its first touch: FT = LC = touch 0.
    const m = { at: d(3), leadCreatedAt: d(0), opportunityCreatedAt: d(3) };
    closeTo(journeyWeights('U_SHAPED', at(0, 1, 2), m, 7), [0.8, 0.1, 0.1]);
    // W: t0 = FT+LC 0.6, t2 = OC 0.3, t1 the only other 0.1.
    closeTo(journeyWeights('W_SHAPED', at(0, 1, 2), m, 7), [0.6, 0.1, 0.3]);
  });

  it('gives a milestone no touch holds no weight, and renormalises', () => {
    // The lead was captured before the journey's first touch: LC is nobody's.
    const m = { at: d(3), leadCreatedAt: d(-1), opportunityCreatedAt: d(3) };
    // FT 0.4, others 0.1 + 0.1 => sum 0.6.
    closeTo(journeyWeights('U_SHAPED', at(0, 1, 2), m, 7), [0.4 / 0.6, 0.1 / 0.6, 0.1 / 0.6]);
  });

  it('ignores OC for LEAD_CREATED and CW unless the milestone is WON', () => {
    // LEAD_CREATED, W_SHAPED: FT 0.3, LC (last) 0.3, the middle touch 0.1 => sum 0.7.
    closeTo(journeyWeights('W_SHAPED', at(0, 1, 2), lead(2), 7), [3 / 7, 1 / 7, 3 / 7]);
    // OPPORTUNITY_CREATED, FULL_PATH: FT t0, LC t1, OC t3, other t2 => 0.225·3 + 0.1 = 0.775.
    const oc = { at: d(3), leadCreatedAt: d(1), opportunityCreatedAt: d(3) };
    closeTo(journeyWeights('FULL_PATH', at(0, 1, 2, 3), oc, 7), [0.225, 0.225, 0.1, 0.225].map((w) => w / 0.775));
  });

  it('gives FULL_PATH 0.225 per milestone touch on a WON journey', () => {
    const won = { at: d(4), leadCreatedAt: d(1), opportunityCreatedAt: d(3), wonAt: d(4) };
    closeTo(journeyWeights('FULL_PATH', at(0, 1, 2, 3, 4), won, 7), [0.225, 0.225, 0.1, 0.225, 0.225]);
    // No touch between creation and win: OC = CW on t2, no others => 0.9 total.
    const sameTouch = { at: d(4), leadCreatedAt: d(1), opportunityCreatedAt: d(3), wonAt: d(4) };
    closeTo(journeyWeights('FULL_PATH', at(0, 1, 2), sameTouch, 7), [0.25, 0.25, 0.5]);
  });

  it('halves TIME_DECAY weight per half-life before the milestone', () => {
    // Ages 14, 7, 0 days with half-life 7: raw 1/4, 1/2, 1 => 1/7, 2/7, 4/7.
    closeTo(journeyWeights('TIME_DECAY', at(0, 7, 14), lead(14), 7), [1 / 7, 2 / 7, 4 / 7]);
    // The milestone 4 days after the last touch does not change the shares: 2^(−4/7) vs 1.
    closeTo(journeyWeights('TIME_DECAY', at(10, 14), lead(18), 7), [0.40225353870268366, 0.5977464612973163]);
    // A tiny half-life still sums to 1 instead of underflowing to 0/0.
    closeTo(journeyWeights('TIME_DECAY', at(0, 300), lead(365), 0.01), [0, 1]);
  });
});

describe('attributionReport', () => {
  const campaigns = [
    ev('k1', 'CampaignLaunched', d(-400), { campaignId: 'c1', name: 'Webinar', channel: 'social' }),
    ev('k2', 'CampaignLaunched', d(-400), { campaignId: 'c2', name: 'Newsletter', channel: 'email' }),
    ev('k3', 'CampaignLaunched', d(-400), { campaignId: 'c3', name: 'Search', channel: 'paid_search' }),
  ];
  // L1: an old touch (day −40), a capture that is a c1 touch with no channel of its own, then
  // touches after the capture. L2: touched before its campaign-less capture on day 3.
  const l1 = [
    ev('a0', 'LeadTouched', d(-40), { leadId: 'L1', campaignId: 'c3', channel: 'paid_search', touchType: 'ad_click' }),
    ev('a1', 'LeadCaptured', d(0), { leadId: 'L1', campaignId: 'c1' }),
    ev('a2', 'LeadTouched', d(2), { leadId: 'L1', campaignId: 'c2', channel: 'email', touchType: 'email_click' }),
    ev('a3', 'LeadTouched', d(5), { leadId: 'L1', channel: 'organic', touchType: 'web_visit' }),
    ev('a4', 'LeadTouched', d(12), { leadId: 'L1', campaignId: 'c3', channel: 'paid_search', touchType: 'ad_click' }),
    ev('a5', 'LeadTouched', d(25), { leadId: 'L1', campaignId: 'c1', channel: 'social', touchType: 'webinar' }),
  ];
  const l2 = [
    ev('b1', 'LeadTouched', d(1), { leadId: 'L2', campaignId: 'c2', channel: 'email', touchType: 'email_click' }),
    ev('b2', 'LeadCaptured', d(3), { leadId: 'L2' }),
  ];
  // O1 is created for L1 on day 10; L2 is linked on day 50, after the win (links are timeless).
  const o1 = [
    ev('o1', 'OpportunityCreated', d(10), { opportunityId: 'O1', leadIds: ['L1'], amount: 1000 }),
    ev('o2', 'OpportunityAmountChanged', d(15), { opportunityId: 'O1', amount: 1200 }),
    ev('o3', 'OpportunityWon', d(20), { opportunityId: 'O1' }),
    ev('o4', 'OpportunityAmountChanged', d(22), { opportunityId: 'O1', amount: 9999 }),
    ev('b3', 'LeadConverted', d(50), { leadId: 'L2', opportunityId: 'O1' }),
  ];
  const stream = [...campaigns, ...l1, ...l2, ...o1];
  const period = { from: d(0), to: d(30), lookbackDays: 365, halfLifeDays: 7 };

  it('LEAD_CREATED: credits the touches up to the capture, within the lookback', () => {
    const r = attributionReport(stream, { ...period, model: 'LINEAR', milestone: 'LEAD_CREATED', lookbackDays: 30 });
    // L1 at day 0: only its capture (a0 is 40 days back). L2 at day 3: its day-1 touch.
    expect(r.conversions).toBe(2);
    expect(r.totalValue).toBe(0);
    expectClose(credits(r), { c1: 1, c2: 1 });
    expectClose(values(r), { c1: 0, c2: 0 });

    const wide = attributionReport(stream, { ...period, model: 'FIRST_TOUCH', milestone: 'LEAD_CREATED' });
    expectClose(credits(wide), { c1: 0, c2: 1, c3: 1 });
  });

  it('keys CHANNEL by the touch channel, else its campaign channel', () => {
    const r = attributionReport(stream, { ...period, model: 'LINEAR', milestone: 'LEAD_CREATED', by: 'CHANNEL', lookbackDays: 30 });
    // The c1 capture has no channel: it takes c1's launch channel.
    expectClose(credits(r), { email: 1, social: 1 });
  });

  // OPPORTUNITY_CREATED on day 10. Journey (L1 + L2, by time): a0 c3 (−40), a1 c1 (0, LC: the
  // earliest capture among L1, L2), b1 c2 (1), a2 c2 (2), a3 none (5, OC). Amount 1000.
  const opportunityCreated: Record<AttributionModel, Record<string, number>> = {
    FIRST_TOUCH: { c3: 1, c1: 0, c2: 0, '(none)': 0 },
    LAST_TOUCH: { c3: 0, c1: 0, c2: 0, '(none)': 1 },
    LINEAR: { c3: 0.2, c1: 0.2, c2: 0.4, '(none)': 0.2 },
    POSITION_BASED: { c3: 0.4, c1: 0.2 / 3, c2: 0.4 / 3, '(none)': 0.4 },
    // FT 0.4, LC 0.4, others b1, a2, a3 share 0.2.
    U_SHAPED: { c3: 0.4, c1: 0.4, c2: 0.4 / 3, '(none)': 0.2 / 3 },
    // FT, LC, OC 0.3; others b1, a2 share 0.1.
    W_SHAPED: { c3: 0.3, c1: 0.3, c2: 0.1, '(none)': 0.3 },
    // CW does not apply: FT, LC, OC 0.225, others 0.1 => / 0.775.
    FULL_PATH: { c3: 0.225 / 0.775, c1: 0.225 / 0.775, c2: 0.1 / 0.775, '(none)': 0.225 / 0.775 },
    // 2^(−age/7) for ages 50, 10, 9, 8, 5 days, normalised.
    TIME_DECAY: { c3: 0.0038225512151344, c1: 0.2006895303631813, c2: 0.4662224837467123, '(none)': 0.329265434674972 },
  };
  it.each(ATTRIBUTION_MODELS)('OPPORTUNITY_CREATED with several leads on one opportunity: %s', (model) => {
    const r = attributionReport(stream, { ...period, model, milestone: 'OPPORTUNITY_CREATED' });
    expect(r.conversions).toBe(1);
    expect(r.totalValue).toBe(1000);
    expectClose(credits(r), opportunityCreated[model]);
    expectClose(values(r), Object.fromEntries(Object.entries(opportunityCreated[model]).map(([k, c]) => [k, c * 1000])));
  });

  it('WON without an amount: the latest amount at or before the win, FULL_PATH', () => {
    const r = attributionReport(stream, { ...period, model: 'FULL_PATH', milestone: 'WON' });
    // Journey to day 20 adds a4 c3 (12, CW); a3 holds OC; b1, a2 are the others.
    expect(r.conversions).toBe(1);
    expect(r.totalValue).toBe(1200);
    expectClose(credits(r), { c3: 0.45, c1: 0.225, c2: 0.1, '(none)': 0.225 });
    expectClose(values(r), { c3: 540, c1: 270, c2: 120, '(none)': 270 });
    const w = attributionReport(stream, { ...period, model: 'W_SHAPED', milestone: 'WON' });
    // CW does not count in W: others b1, a2, a4 share 0.1.
    expectClose(credits(w), { c3: 0.3 + 0.1 / 3, c1: 0.3, c2: 0.2 / 3, '(none)': 0.3 });
    const last = attributionReport(stream, { ...period, model: 'LAST_TOUCH', milestone: 'WON' });
    expectClose(credits(last), { c3: 1, c1: 0, c2: 0, '(none)': 0 });
  });

  it('WON with an amount, reopened then won again: once, at the first win, with its amount', () => {
    const events = [
      ev('t', 'LeadTouched', d(1), { leadId: 'L9', campaignId: 'c1', channel: 'social', touchType: 'ad_click' }),
      ev('v', 'LeadConverted', d(2), { leadId: 'L9', opportunityId: 'O9' }),
      ev('c', 'OpportunityCreated', d(2), { opportunityId: 'O9', amount: 100 }),
      ev('w1', 'OpportunityWon', d(5), { opportunityId: 'O9', amount: 800 }),
      ev('r', 'OpportunityReopened', d(6), { opportunityId: 'O9' }),
      ev('w2', 'OpportunityWon', d(40), { opportunityId: 'O9' }),
    ];
    const r = attributionReport(events, { ...period, model: 'LINEAR', milestone: 'WON' });
    expect(r).toEqual({ conversions: 1, totalValue: 800, rows: [{ key: 'c1', credit: 1, value: 800 }] });
    // The second win does not move the conversion into a later period.
    expect(attributionReport(events, { ...period, from: d(30), to: d(60), model: 'LINEAR', milestone: 'WON' }).conversions).toBe(0);
  });

  it('gives a conversion without touches credit 1 to (none); ignores opportunities never created', () => {
    const events = [
      ev('c', 'LeadCaptured', d(1), { leadId: 'L7' }),
      ev('o', 'OpportunityCreated', d(2), { opportunityId: 'O7', leadIds: ['L7'], amount: 300 }),
      ev('w', 'OpportunityWon', d(3), { opportunityId: 'O8', amount: 50 }),
      ev('x', 'LeadConverted', d(3), { leadId: 'L7', opportunityId: 'O8' }),
    ];
    for (const model of ATTRIBUTION_MODELS) {
      expect(attributionReport(events, { ...period, model, milestone: 'OPPORTUNITY_CREATED' })).toEqual({
        conversions: 1, totalValue: 300, rows: [{ key: '(none)', credit: 1, value: 300 }],
      });
      expect(attributionReport(events, { ...period, model, milestone: 'WON' })).toEqual({ conversions: 0, totalValue: 0, rows: [] });
    }
  });

  it('counts a conversion in the half-open period holding its milestone', () => {
    const events = [ev('c', 'LeadCaptured', d(1), { leadId: 'L', campaignId: 'c1' })];
    const count = (from: string, to: string) =>
      attributionReport(events, { from, to, model: 'LINEAR', milestone: 'LEAD_CREATED' }).conversions;
    expect(count(d(1), d(2))).toBe(1);
    expect(count(d(0), d(1))).toBe(0);
    // Bounds without milliseconds are normalised before comparing with event times.
    expect(count('2026-03-02T00:00:00Z', '2026-03-03T00:00:00Z')).toBe(1);
  });

  it('a lead without a capture converts at its earliest event', () => {
    const events = [
      ev('s', 'LeadScored', d(4), { leadId: 'L', score: 70 }),
      ev('t', 'LeadTouched', d(5), { leadId: 'L', campaignId: 'c2', channel: 'email', touchType: 'ad_click' }),
    ];
    // Its only touch is after the CAPTURED reach time, so the lead converts with no touches.
    const r = attributionReport(events, { ...period, model: 'LINEAR', milestone: 'LEAD_CREATED' });
    expect(r.rows).toEqual([{ key: '(none)', credit: 1, value: 0 }]);
  });
});

describe('attributionReport properties', () => {
  const seed = fc.integer({ min: 1, max: 1_000_000 });
  const options = fc.record({
    model: fc.constantFrom(...ATTRIBUTION_MODELS),
    milestone: fc.constantFrom(...MILESTONES),
    by: fc.constantFrom('CAMPAIGN' as const, 'CHANNEL' as const),
    lookbackDays: fc.integer({ min: 0, max: 400 }),
    halfLifeDays: fc.double({ min: 0.1, max: 60, noNaN: true }),
    fromDay: fc.integer({ min: -70, max: 60 }),
    spanDays: fc.integer({ min: 1, max: 120 }),
  });
  type OptionValues = typeof options extends fc.Arbitrary<infer T> ? T : never;
  const reportOf = (events: FunnelEvent[], o: OptionValues) =>
    attributionReport(events, { ...o, from: d(o.fromDay), to: d(o.fromDay + o.spanDays) });

  it('credits sum to the conversions, values to the total, and no credit is negative', () => {
    fc.assert(
      fc.property(seed, options, (s, o) => {
        const r = reportOf(generateFunnelEvents({ leads: 40, seed: s, start: d(-60) }), o);
        const sum = (k: 'credit' | 'value') => r.rows.reduce((a, x) => a + x[k], 0);
        expect(sum('credit')).toBeCloseTo(r.conversions, 9);
        expect(Math.abs(sum('value') - r.totalValue)).toBeLessThan(1e-6 * Math.max(1, r.totalValue));
        for (const x of r.rows) expect(x.credit).toBeGreaterThanOrEqual(0);
        expect(r.rows.map((x) => x.key)).toEqual(r.rows.map((x) => x.key).sort());
      }),
      { numRuns: 150 },
    );
  });

  it('is the same for any order and any redelivery of the events', () => {
    fc.assert(
      fc.property(seed, seed, options, (s, shuffleSeed, o) => {
        const events = generateFunnelEvents({ leads: 30, seed: s, start: d(-60) });
        const redelivered = shuffled([...events, ...shuffled(events, shuffleSeed).slice(0, events.length / 3)], shuffleSeed);
        expect(reportOf(redelivered, o)).toEqual(reportOf(events, o));
      }),
      { numRuns: 100 },
    );
  });
});
