import { funnelEventBuilder, generateFunnelEvents, redelivered } from '@funnel/testing';
import fc from 'fast-check';
import { funnelReport } from '../funnel/funnel.reference';
import { scoreCalibration } from './score-calibration.reference';
import { WILSON_Z_95, wilsonInterval } from './score-calibration.rows';

const MARCH = { from: '2026-03-01T00:00Z', to: '2026-04-01T00:00Z' };
const Z2 = WILSON_Z_95 * WILSON_Z_95;

/** Scores at MQL entry: K1 10 (a later 65 does not count), K2 20 (scored at the very instant), K3 80, K4 100, K5 none, K6 59. */
function fixture() {
  const b = funnelEventBuilder();
  return [
    b.scored('K1', '2026-02-20T00:00Z', 10),
    b.stage('K1', '2026-03-01T00:00Z', 'MQL'),
    b.scored('K1', '2026-03-05T00:00Z', 65),
    b.stage('K1', '2026-03-10T00:00Z', 'SQL'),
    b.stage('K2', '2026-03-02T00:00Z', 'MQL'),
    b.scored('K2', '2026-03-02T00:00Z', 20),
    b.scored('K3', '2026-03-01T00:00Z', 80),
    b.stage('K3', '2026-03-03T00:00Z', 'MQL'),
    b.created('O3', '2026-03-10T00:00Z', ['K3']),
    b.won('O3', '2026-03-30T00:00Z'),
    b.scored('K4', '2026-03-01T00:00Z', 100),
    b.stage('K4', '2026-03-04T00:00Z', 'MQL'),
    b.stage('K5', '2026-03-05T00:00Z', 'MQL'),
    b.scored('K5', '2026-03-06T00:00Z', 70),
    b.scored('K6', '2026-03-09T00:00Z', 59),
    b.stage('K6', '2026-03-10T00:00Z', 'SQL'), // MQL inferred here
    b.scored('K8', '2026-02-01T00:00Z', 90),
    b.stage('K8', '2026-02-28T00:00Z', 'MQL'),
  ];
}

describe('wilsonInterval', () => {
  it('matches published values and the closed forms at 0 and n successes', () => {
    // Newcombe (1998), Statistics in Medicine 17:857, table I: 3/10 -> 0.1078 to 0.6032.
    const i = wilsonInterval(3, 10) as { low: number; high: number };
    expect(i.low).toBeCloseTo(0.1078, 4);
    expect(i.high).toBeCloseTo(0.6032, 4);
    expect(wilsonInterval(0, 1)).toEqual({ low: 0, high: expect.closeTo(Z2 / (1 + Z2), 12) });
    expect(wilsonInterval(1, 1)).toEqual({ low: expect.closeTo(1 / (1 + Z2), 12), high: 1 });
    expect(wilsonInterval(0, 0)).toBeUndefined();
  });
});

describe('scoreCalibration', () => {
  it('bands the MQLs by their score at MQL entry, with rates and Wilson intervals per band', () => {
    const rows = scoreCalibration(fixture(), MARCH);
    expect(rows.map((r) => [r.band, r.lower, r.upper, r.leads, r.toSql, r.toWon])).toEqual([
      ['0-19', 0, 19, 1, 1, 0],
      ['20-39', 20, 39, 1, 0, 0],
      ['40-59', 40, 59, 1, 1, 0],
      ['60-79', 60, 79, 0, 0, 0],
      ['80-100', 80, 100, 2, 1, 1],
      ['(none)', null, null, 1, 0, 0],
    ]);
    const top = rows[4];
    expect([top.sqlRate, top.wonRate]).toEqual([0.5, 0.5]);
    expect(top.sqlRateLow).toBeCloseTo(0.0945312, 6);
    expect(top.sqlRateHigh).toBeCloseTo(0.9054688, 6);
    expect(rows[0].sqlRateLow).toBeCloseTo(1 / (1 + Z2), 12);
    expect(rows[0].wonRateHigh).toBeCloseTo(Z2 / (1 + Z2), 12);
    expect(rows[3]).toMatchObject({ sqlRate: null, sqlRateLow: null, sqlRateHigh: null, wonRate: null, wonRateLow: null, wonRateHigh: null });
  });

  it('takes custom bands; a score below the first bound belongs to no band', () => {
    expect(scoreCalibration(fixture(), { ...MARCH, bands: [0, 50] }).map((r) => [r.band, r.leads])).toEqual([
      ['0-49', 2],
      ['50-100', 3],
      ['(none)', 1],
    ]);
    expect(scoreCalibration(fixture(), { ...MARCH, bands: [20, 60] }).map((r) => [r.band, r.leads])).toEqual([
      ['20-59', 2],
      ['60-100', 2],
      ['(none)', 1],
    ]);
    expect(() => scoreCalibration(fixture(), { ...MARCH, bands: [0, 40, 40] })).toThrow(RangeError);
    expect(() => scoreCalibration(fixture(), { ...MARCH, bands: [] })).toThrow(RangeError);
  });
});

describe('scoreCalibration properties over generated streams', () => {
  const period = { from: '2026-01-10T00:00:00.000Z', to: '2026-02-20T00:00:00.000Z' };
  const input = fc.record({ seed: fc.integer({ min: 1, max: 1_000_000 }), leads: fc.integer({ min: 1, max: 40 }) });

  it('bands from 0 cover every MQL, and each rate lies inside its interval', () => {
    fc.assert(
      fc.property(input, ({ seed, leads }) => {
        const events = generateFunnelEvents({ leads, seed });
        const rows = scoreCalibration(events, period);
        const mqls = funnelReport(events, { ...period, anchor: 'MQL' })[0].stages[1].reached;
        expect(rows.reduce((n, r) => n + r.leads, 0)).toBe(mqls);
        for (const r of rows.filter((x) => x.leads > 0)) {
          expect(r.sqlRateLow as number).toBeLessThanOrEqual(r.sqlRate as number);
          expect(r.sqlRateHigh as number).toBeGreaterThanOrEqual(r.sqlRate as number);
          expect(r.wonRateLow as number).toBeLessThanOrEqual(r.wonRate as number);
          expect(r.wonRateHigh as number).toBeGreaterThanOrEqual(r.wonRate as number);
        }
      }),
    );
  });

  it('is the same under shuffling and redelivery', () => {
    fc.assert(
      fc.property(input, ({ seed, leads }) => {
        const events = generateFunnelEvents({ leads, seed });
        expect(scoreCalibration(redelivered(events, seed), period)).toEqual(scoreCalibration(events, period));
      }),
    );
  });
});
