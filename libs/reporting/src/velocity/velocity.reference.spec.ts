import { funnelEventBuilder, generateFunnelEvents, redelivered } from '@funnel/testing';
import fc from 'fast-check';
import { DIMENSIONS, FUNNEL_STAGES, type FunnelStage } from '@funnel/domain';
import { velocityReport } from './velocity.reference';

const MARCH = { from: '2026-03-01T00:00Z', to: '2026-04-01T00:00Z' };

/** As in the funnel spec: L5 is captured after its deal was created and won (negative duration). */
function fixture() {
  const b = funnelEventBuilder();
  return [
    b.captured('L1', '2026-03-01T00:00Z', { campaignId: 'C1' }),
    b.stage('L1', '2026-03-02T00:00Z', 'MQL'),
    b.stage('L1', '2026-03-05T12:00Z', 'SQL'),
    b.created('O1', '2026-03-06T00:00Z', ['L1']),
    b.won('O1', '2026-03-20T00:00Z'),
    b.captured('L2', '2026-03-02T00:00Z'),
    b.stage('L2', '2026-03-04T00:00Z', 'SQL'),
    b.captured('L3', '2026-03-03T00:00Z', { campaignId: 'C2' }),
    b.stage('L3', '2026-03-05T00:00Z', 'MQL'),
    b.captured('L5', '2026-03-15T00:00Z', { campaignId: 'C1' }),
    b.created('O2', '2026-03-01T00:00Z', ['L5']),
    b.won('O2', '2026-03-05T00:00Z'),
  ];
}

describe('velocityReport', () => {
  it('keeps negative durations (won before captured) and interpolates percentiles', () => {
    // L1: +19 days, L5: −10 days.
    expect(velocityReport(fixture(), { ...MARCH, fromStage: 'CAPTURED', toStage: 'WON' })).toEqual([
      { key: null, count: 2, meanDays: 4.5, p50Days: 4.5, p90Days: -10 + 0.9 * 29 },
    ]);
  });

  it('measures from inferred reach times, in fractional days', () => {
    // MQL→SQL: L1 3.5 days; L2 0 (both inferred at its SQL entry); L5 0 (both at its deal's creation); L3 never reached SQL.
    const [row] = velocityReport(fixture(), { ...MARCH, fromStage: 'MQL', toStage: 'SQL' });
    expect(row.count).toBe(3);
    expect(row.meanDays).toBeCloseTo(3.5 / 3, 12);
    expect(row.p50Days).toBe(0);
    expect(row.p90Days).toBeCloseTo(0.8 * 3.5, 12);
  });

  it('gives no row to a key whose leads never reached the target, and none at all for an empty result', () => {
    const rows = velocityReport(fixture(), { ...MARCH, fromStage: 'CAPTURED', toStage: 'WON', breakdown: 'CAMPAIGN' });
    expect(rows.map((r) => [r.key, r.count])).toEqual([['C1', 2]]);
    expect(velocityReport(fixture(), { from: '2027-01-01T00:00Z', to: '2027-02-01T00:00Z', fromStage: 'CAPTURED', toStage: 'WON' })).toEqual([]);
  });

  it('takes the cohort by the fromStage reach time', () => {
    // L5's inferred MQL (03-01) and L1's MQL (03-02) are in [03-01, 03-03); L2's (03-04) and L3's (03-05) are not.
    const [row] = velocityReport(fixture(), { from: '2026-03-01T00:00Z', to: '2026-03-03T00:00Z', fromStage: 'MQL', toStage: 'WON' });
    expect([row.count, row.meanDays]).toEqual([2, (18 + 4) / 2]);
  });
});

describe('velocityReport properties over generated streams', () => {
  const period = { from: '2026-01-10T00:00:00.000Z', to: '2026-02-20T00:00:00.000Z' };
  const input = fc.record({
    seed: fc.integer({ min: 1, max: 1_000_000 }),
    leads: fc.integer({ min: 1, max: 40 }),
    fromStage: fc.constantFrom<FunnelStage>(...FUNNEL_STAGES),
    toStage: fc.constantFrom<FunnelStage>(...FUNNEL_STAGES),
    breakdown: fc.constantFrom(...DIMENSIONS),
  });

  it('breakdown counts sum to the total, keys are sorted and p50 <= p90', () => {
    fc.assert(
      fc.property(input, ({ seed, leads, breakdown, ...opts }) => {
        const events = generateFunnelEvents({ leads, seed });
        const total = velocityReport(events, { ...period, ...opts });
        const rows = velocityReport(events, { ...period, ...opts, breakdown });
        expect(rows.reduce((n, r) => n + r.count, 0)).toBe(total[0]?.count ?? 0);
        for (const r of rows) {
          expect(r.count).toBeGreaterThan(0);
          expect(r.p50Days as number).toBeLessThanOrEqual(r.p90Days as number);
        }
        expect(rows.map((r) => r.key)).toEqual(rows.map((r) => r.key).sort());
      }),
    );
  });

  it('is the same under shuffling and redelivery', () => {
    fc.assert(
      fc.property(input, ({ seed, leads, ...opts }) => {
        const events = generateFunnelEvents({ leads, seed });
        expect(velocityReport(redelivered(events, seed), { ...period, ...opts })).toEqual(velocityReport(events, { ...period, ...opts }));
      }),
    );
  });
});
