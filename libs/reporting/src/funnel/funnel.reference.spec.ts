import { funnelEventBuilder, generateFunnelEvents, redelivered } from '@funnel/testing';
import fc from 'fast-check';
import { DIMENSIONS, FUNNEL_STAGES, type FunnelStage } from '@funnel/domain';
import { funnelReport } from './funnel.reference';
import type { FunnelGroup } from './funnel.rows';

const MARCH = { from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z' };

/**
 * L1 walks every stage (with a regression back to MQL); L2 jumps to SQL; L3 has no LeadCaptured
 * (CAPTURED skipped, reached at its first touch); L4 was captured before March; L5 is linked by
 * OpportunityCreated.leadIds to a deal created and won before the lead was captured; L6 converts
 * into an opportunity that was never created, so it does not count.
 */
function fixture() {
  const b = funnelEventBuilder();
  return [
    b.captured('L1', '2026-03-01T00:00Z', { campaignId: 'C1', channel: 'social', attributes: { segment: 'smb' } }),
    b.stage('L1', '2026-03-02T00:00Z', 'MQL'),
    b.stage('L1', '2026-03-03T00:00Z', 'SAL'),
    b.stage('L1', '2026-03-05T12:00Z', 'SQL'),
    b.stage('L1', '2026-03-10T00:00Z', 'MQL'),
    b.converted('L1', '2026-03-06T00:00Z', 'O1'),
    b.created('O1', '2026-03-06T00:00Z'),
    b.won('O1', '2026-03-20T00:00Z'),
    b.captured('L2', '2026-03-02T00:00Z', { channel: 'email', attributes: { segment: 'ent' } }),
    b.stage('L2', '2026-03-04T00:00Z', 'SQL'),
    b.touched('L3', '2026-03-03T00:00Z', 'paid_search', 'C2'),
    b.stage('L3', '2026-03-05T00:00Z', 'MQL'),
    b.captured('L4', '2026-02-20T00:00Z'),
    b.stage('L4', '2026-03-02T00:00Z', 'MQL'),
    b.captured('L5', '2026-03-15T00:00Z', { campaignId: 'C1' }),
    b.created('O2', '2026-03-01T00:00Z', ['L5']),
    b.won('O2', '2026-03-05T00:00Z'),
    b.captured('L6', '2026-03-20T00:00Z'),
    b.touched('L6', '2026-03-21T00:00Z', 'social', 'C2'),
    b.converted('L6', '2026-03-22T00:00Z', 'O3'),
  ];
}

const counts = (g: FunnelGroup) => g.stages.map((s) => [s.stage, s.entered, s.reached, s.skipped]);

describe('funnelReport', () => {
  it('counts entered, reached and skipped per stage; regressions and uncreated opportunities change nothing', () => {
    const [total, ...rest] = funnelReport(fixture(), MARCH);
    expect(rest).toEqual([]);
    expect(total.key).toBeNull();
    expect(counts(total)).toEqual([
      ['CAPTURED', 4, 5, 1],
      ['MQL', 2, 4, 2],
      ['SAL', 1, 3, 2],
      ['SQL', 2, 3, 1],
      ['OPPORTUNITY', 2, 2, 0],
      ['WON', 2, 2, 0],
    ]);
    expect(total.stages.map((s) => s.conversionFromPrevious)).toEqual([null, 0.8, 0.75, 1, 2 / 3, 1]);
    expect(total.stages.map((s) => s.conversionFromAnchor)).toEqual([1, 0.8, 0.6, 0.6, 0.4, 0.4]);
  });

  it('with a window, drops stages reached more than W days after the anchor but keeps those reached before it', () => {
    const [total] = funnelReport(fixture(), { ...MARCH, windowDays: 7 });
    // L1 won 19 days after capture: out. L5 won 10 days before its capture: in.
    expect(counts(total).at(-1)).toEqual(['WON', 1, 1, 0]);
    expect(counts(total).slice(0, 5)).toEqual(counts(funnelReport(fixture(), MARCH)[0]).slice(0, 5));
  });

  it('counts a stage reached exactly W days after the anchor, and not one a millisecond later', () => {
    const b = funnelEventBuilder();
    const events = [
      b.captured('A', '2026-03-01T00:00Z'),
      b.stage('A', '2026-03-08T00:00:00.000Z', 'MQL'),
      b.captured('B', '2026-03-01T00:00Z'),
      b.stage('B', '2026-03-08T00:00:00.001Z', 'MQL'),
    ];
    const mql = funnelReport(events, { ...MARCH, windowDays: 7 })[0].stages[1];
    expect([mql.entered, mql.reached]).toEqual([1, 1]);
  });

  it('anchors the cohort on another stage; a windowed stage earlier in order but later in time obeys the window too', () => {
    const [total] = funnelReport(fixture(), { ...MARCH, anchor: 'MQL' });
    // MQL reached in March: L1, L2 (inferred), L3, L4 (captured in February), L5 (inferred 03-01).
    expect(counts(total)).toEqual([
      ['CAPTURED', 4, 5, 1],
      ['MQL', 3, 5, 2],
      ['SAL', 1, 3, 2],
      ['SQL', 2, 3, 1],
      ['OPPORTUNITY', 2, 2, 0],
      ['WON', 2, 2, 0],
    ]);
    expect(total.stages[0].conversionFromAnchor).toBe(1);
    // L5 was captured 14 days after its (inferred) MQL: read literally, reach − anchor > W drops it.
    const windowed = funnelReport(fixture(), { ...MARCH, anchor: 'MQL', windowDays: 7 })[0];
    expect(counts(windowed)[0]).toEqual(['CAPTURED', 3, 4, 1]);
    expect(windowed.stages[1].conversionFromPrevious).toBe(5 / 4);
  });

  it('breaks down by source campaign, keys sorted, "(none)" where it sorts', () => {
    const groups = funnelReport(fixture(), { ...MARCH, breakdown: 'CAMPAIGN' });
    expect(groups.map((g) => [g.key, g.stages[0].reached, g.stages[5].reached])).toEqual([
      ['(none)', 1, 0], // L2
      ['C1', 2, 2], // L1, L5
      ['C2', 2, 0], // L3 by its first touch, L6 whose capture has no campaign
    ]);
  });

  it('has one all-zero group with null conversions for an empty cohort, and no group per key', () => {
    const [total] = funnelReport(fixture(), { from: '2027-01-01T00:00Z', to: '2027-02-01T00:00Z' });
    expect(total.key).toBeNull();
    expect(total.stages.map((s) => s.stage)).toEqual([...FUNNEL_STAGES]);
    expect(total.stages.every((s) => s.entered === 0 && s.reached === 0 && s.skipped === 0)).toBe(true);
    expect(total.stages.every((s) => s.conversionFromPrevious === null && s.conversionFromAnchor === null)).toBe(true);
    expect(funnelReport(fixture(), { from: '2027-01-01T00:00Z', to: '2027-02-01T00:00Z', breakdown: 'OWNER' })).toEqual([]);
  });
});

describe('funnelReport properties over generated streams', () => {
  const period = { from: '2026-01-10T00:00:00.000Z', to: '2026-02-20T00:00:00.000Z' };
  const stream = fc.record({ seed: fc.integer({ min: 1, max: 1_000_000 }), leads: fc.integer({ min: 1, max: 40 }) });
  const anchors = fc.constantFrom<FunnelStage>(...FUNNEL_STAGES);
  const windows = fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined });

  it('reached >= entered, skipped = reached − entered, and without a window reached never grows along the stages', () => {
    fc.assert(
      fc.property(stream, anchors, windows, ({ seed, leads }, anchor, windowDays) => {
        const events = generateFunnelEvents({ leads, seed });
        for (const s of funnelReport(events, { ...period, anchor, windowDays })[0].stages) {
          expect(s.reached).toBeGreaterThanOrEqual(s.entered);
          expect(s.skipped).toBe(s.reached - s.entered);
        }
        const reached = funnelReport(events, { ...period, anchor })[0].stages.map((s) => s.reached);
        reached.slice(1).forEach((r, i) => expect(r).toBeLessThanOrEqual(reached[i]));
        // A window only ever removes reaches.
        funnelReport(events, { ...period, anchor, windowDays })[0].stages.forEach((s, i) => expect(s.reached).toBeLessThanOrEqual(reached[i]));
      }),
    );
  });

  it('is the same under shuffling and redelivery', () => {
    fc.assert(
      fc.property(stream, anchors, windows, fc.constantFrom(undefined, ...DIMENSIONS), ({ seed, leads }, anchor, windowDays, breakdown) => {
        const events = generateFunnelEvents({ leads, seed });
        const opts = { ...period, anchor, windowDays, breakdown };
        expect(funnelReport(redelivered(events, seed), opts)).toEqual(funnelReport(events, opts));
      }),
    );
  });

  it('breakdown groups sum to the unbroken totals', () => {
    fc.assert(
      fc.property(stream, anchors, windows, fc.constantFrom(...DIMENSIONS), ({ seed, leads }, anchor, windowDays, breakdown) => {
        const events = generateFunnelEvents({ leads, seed });
        const [total] = funnelReport(events, { ...period, anchor, windowDays });
        const groups = funnelReport(events, { ...period, anchor, windowDays, breakdown });
        total.stages.forEach((s, i) => {
          expect(groups.reduce((n, g) => n + g.stages[i].entered, 0)).toBe(s.entered);
          expect(groups.reduce((n, g) => n + g.stages[i].reached, 0)).toBe(s.reached);
        });
      }),
    );
  });
});
