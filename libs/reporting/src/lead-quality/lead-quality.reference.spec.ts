import { funnelEventBuilder, generateFunnelEvents, redelivered } from '@funnel/testing';
import fc from 'fast-check';
import { DIMENSIONS } from '@funnel/domain';
import { slaReport } from '../sla/sla.reference';
import { leadQualityVsHandling } from './lead-quality.reference';

const MARCH = { from: '2026-03-01T00:00Z', to: '2026-04-01T00:00Z', speedToLeadMinutes: 60 };

/**
 * Q1 met and went on to win; Q2 met and went nowhere; Q3 breached and reached SQL only by its
 * (open) opportunity; Q4 became MQL 30 minutes before the period ends and has no activity.
 */
function fixture() {
  const b = funnelEventBuilder();
  return [
    b.stage('Q1', '2026-03-01T00:00Z', 'MQL'),
    b.activity('Q1', '2026-03-01T00:30Z'),
    b.stage('Q1', '2026-03-05T00:00Z', 'SQL'),
    b.created('O1', '2026-03-06T00:00Z', ['Q1']),
    b.won('O1', '2026-04-20T00:00Z'),
    b.assigned('Q1', '2026-03-01T00:05Z', 'rep-a'),
    b.stage('Q2', '2026-03-02T00:00Z', 'MQL'),
    b.activity('Q2', '2026-03-02T00:30Z'),
    b.assigned('Q2', '2026-03-02T00:05Z', 'rep-b'),
    b.stage('Q3', '2026-03-03T00:00Z', 'MQL'),
    b.activity('Q3', '2026-03-03T02:00Z'),
    b.converted('Q3', '2026-03-10T00:00Z', 'O3'),
    b.created('O3', '2026-03-10T00:00Z'),
    b.stage('Q4', '2026-03-31T23:30Z', 'MQL'),
  ];
}

describe('leadQualityVsHandling', () => {
  it('compares how met and breached MQLs convert, leaving pending clocks (asOf = end of period) out', () => {
    expect(leadQualityVsHandling(fixture(), MARCH)).toEqual([
      {
        key: null,
        metCount: 2, metToSql: 1, metToWon: 1, metSqlRate: 0.5, metWonRate: 0.5,
        breachedCount: 1, breachedToSql: 1, breachedToWon: 0, breachedSqlRate: 1, breachedWonRate: 0,
      },
    ]);
  });

  it('reads the clocks at a later asOf, and splits by a breakdown', () => {
    const [row] = leadQualityVsHandling(fixture(), { ...MARCH, asOf: '2026-04-02T00:00Z' });
    expect([row.breachedCount, row.breachedToSql, row.breachedSqlRate]).toEqual([2, 1, 0.5]);
    const rows = leadQualityVsHandling(fixture(), { ...MARCH, breakdown: 'OWNER' });
    expect(rows.map((r) => [r.key, r.metCount, r.breachedCount, r.metWonRate, r.breachedWonRate])).toEqual([
      ['(none)', 0, 1, null, 0],
      ['rep-a', 1, 0, 1, null],
      ['rep-b', 1, 0, 0, null],
    ]);
  });
});

describe('leadQualityVsHandling properties over generated streams', () => {
  const period = { from: '2026-01-10T00:00:00.000Z', to: '2026-02-20T00:00:00.000Z' };
  const input = fc.record({
    seed: fc.integer({ min: 1, max: 1_000_000 }),
    leads: fc.integer({ min: 1, max: 40 }),
    speedToLeadMinutes: fc.constantFrom(30, 1440),
    breakdown: fc.option(fc.constantFrom(...DIMENSIONS), { nil: undefined }),
  });

  it('met and breached counts are the SLA report read at the end of the period', () => {
    fc.assert(
      fc.property(input, ({ seed, leads, ...opts }) => {
        const events = generateFunnelEvents({ leads, seed });
        const quality = leadQualityVsHandling(events, { ...period, ...opts });
        const sla = slaReport(events, { ...period, ...opts, asOf: period.to });
        expect(quality.map((q) => [q.key, q.metCount, q.breachedCount])).toEqual(sla.map((s) => [s.key, s.met, s.breached]));
        for (const q of quality) {
          expect(q.metToWon).toBeLessThanOrEqual(q.metToSql);
          expect(q.breachedToWon).toBeLessThanOrEqual(q.breachedToSql);
        }
      }),
    );
  });

  it('is the same under shuffling and redelivery', () => {
    fc.assert(
      fc.property(input, ({ seed, leads, ...opts }) => {
        const events = generateFunnelEvents({ leads, seed });
        expect(leadQualityVsHandling(redelivered(events, seed), { ...period, ...opts })).toEqual(
          leadQualityVsHandling(events, { ...period, ...opts }),
        );
      }),
    );
  });
});
