import { funnelEventBuilder, generateFunnelEvents, redelivered } from '@funnel/testing';
import fc from 'fast-check';
import { DIMENSIONS } from '@funnel/domain';
import { funnelReport } from '../funnel/funnel.reference';
import { slaReport } from './sla.reference';

const MARCH = { from: '2026-03-01T00:00Z', to: '2026-04-01T00:00Z' };
const OPTS = { ...MARCH, asOf: '2026-03-10T00:00Z', speedToLeadMinutes: 60 };

/**
 * Limit 60 minutes, asOf 03-10T00:00. met: S1 (exactly 60 min), S7 (inferred MQL, 30 min).
 * breached: S2 (60 min + 1 ms), S3 (only activity before the start; clock still running),
 * S8 (stopped by an activity exactly at asOf, 1440 min). pending: S4 (30 min running),
 * S5 (exactly 60 min running), S6 (starts after asOf). S9 became MQL in February.
 */
function fixture() {
  const b = funnelEventBuilder();
  return [
    b.stage('S1', '2026-03-01T00:00Z', 'MQL'),
    b.activity('S1', '2026-03-01T01:00:00.000Z'),
    b.activity('S1', '2026-03-01T02:30Z'),
    b.stage('S2', '2026-03-01T00:00Z', 'MQL'),
    b.activity('S2', '2026-03-01T01:00:00.001Z'),
    b.activity('S3', '2026-02-28T00:00Z'),
    b.stage('S3', '2026-03-02T00:00Z', 'MQL'),
    b.stage('S4', '2026-03-09T23:30Z', 'MQL'),
    b.stage('S5', '2026-03-09T23:00Z', 'MQL'),
    b.stage('S6', '2026-03-20T00:00Z', 'MQL'),
    b.activity('S6', '2026-03-20T00:10Z'),
    b.captured('S7', '2026-03-03T00:00Z'),
    b.stage('S7', '2026-03-03T10:00Z', 'SQL'),
    b.activity('S7', '2026-03-03T10:30Z'),
    b.stage('S8', '2026-03-09T00:00Z', 'MQL'),
    b.activity('S8', '2026-03-10T00:00Z'),
    b.stage('S9', '2026-02-27T00:00Z', 'MQL'),
    // OWNER is the latest assignee in the whole log, even after asOf.
    b.assigned('S1', '2026-03-01T00:10Z', 'rep-a'),
    b.assigned('S1', '2026-03-15T00:00Z', 'rep-b'),
    b.assigned('S2', '2026-03-01T00:10Z', 'rep-a'),
    b.assigned('S3', '2026-03-02T00:10Z', 'rep-a'),
    b.assigned('S4', '2026-03-09T23:40Z', 'rep-b'),
  ];
}

const LATE = 60 + 1 / 60_000; // 60 minutes and 1 ms

describe('slaReport', () => {
  it('classifies met, breached and pending at the edges and counts leads never followed up', () => {
    const [row, ...rest] = slaReport(fixture(), OPTS);
    expect(rest).toEqual([]);
    expect(row).toMatchObject({ key: null, met: 2, breached: 3, pending: 3, complianceRate: 0.4, neverFollowedUp: 3 });
    // Stopped clocks: 30, 60, 60 + 1 ms, 1440 minutes.
    expect(row.p50MinutesToFirstActivity).toBeCloseTo((60 + LATE) / 2, 9);
  });

  it('breaks down by owner, keys sorted with "(none)" first', () => {
    const rows = slaReport(fixture(), { ...OPTS, breakdown: 'OWNER' });
    expect(rows.map((r) => [r.key, r.met, r.breached, r.pending, r.complianceRate, r.neverFollowedUp])).toEqual([
      ['(none)', 1, 1, 2, 0.5, 2], // S5, S6, S7, S8
      ['rep-a', 0, 2, 0, 0, 0], // S2, S3
      ['rep-b', 1, 0, 1, 1, 1], // S1, S4
    ]);
    expect(rows.map((r) => r.p50MinutesToFirstActivity)).toEqual([(30 + 1440) / 2, expect.closeTo(LATE, 9), 60]);
  });

  it('moves running clocks from pending to breached as asOf advances, and lets later activities stop them', () => {
    const [row] = slaReport(fixture(), { ...OPTS, asOf: '2026-03-25T00:00Z' });
    // S4, S5 now breached; S6 stopped after 10 minutes (met); S3 still has no activity after its start.
    expect(row).toMatchObject({ met: 3, breached: 5, pending: 0, neverFollowedUp: 2 });
  });

  it('has one all-zero row with null rates for an empty cohort', () => {
    expect(slaReport(fixture(), { ...OPTS, from: '2027-01-01T00:00Z', to: '2027-02-01T00:00Z' })).toEqual([
      { key: null, met: 0, breached: 0, pending: 0, complianceRate: null, neverFollowedUp: 0, p50MinutesToFirstActivity: null },
    ]);
  });
});

describe('slaReport properties over generated streams', () => {
  const period = { from: '2026-01-10T00:00:00.000Z', to: '2026-02-20T00:00:00.000Z' };
  const input = fc.record({
    seed: fc.integer({ min: 1, max: 1_000_000 }),
    leads: fc.integer({ min: 1, max: 40 }),
    asOf: fc.constantFrom('2026-01-05T00:00:00.000Z', '2026-02-01T00:00:00.000Z', '2026-02-20T00:00:00.000Z', '2027-01-01T00:00:00.000Z'),
    speedToLeadMinutes: fc.constantFrom(30, 1440, 2880),
    breakdown: fc.constantFrom(...DIMENSIONS),
  });

  it('met + breached + pending is the MQL cohort, in total and summed over a breakdown', () => {
    fc.assert(
      fc.property(input, ({ seed, leads, breakdown, ...opts }) => {
        const events = generateFunnelEvents({ leads, seed });
        const mqls = funnelReport(events, { ...period, anchor: 'MQL' })[0].stages[1].reached;
        const [total] = slaReport(events, { ...period, ...opts });
        expect(total.met + total.breached + total.pending).toBe(mqls);
        expect(total.neverFollowedUp).toBeLessThanOrEqual(mqls);
        const rows = slaReport(events, { ...period, ...opts, breakdown });
        for (const k of ['met', 'breached', 'pending', 'neverFollowedUp'] as const) {
          expect(rows.reduce((n, r) => n + r[k], 0)).toBe(total[k]);
        }
      }),
    );
  });

  it('is the same under shuffling and redelivery', () => {
    fc.assert(
      fc.property(input, ({ seed, leads, ...opts }) => {
        const events = generateFunnelEvents({ leads, seed });
        expect(slaReport(redelivered(events, seed), { ...period, ...opts })).toEqual(slaReport(events, { ...period, ...opts }));
      }),
    );
  });
});
