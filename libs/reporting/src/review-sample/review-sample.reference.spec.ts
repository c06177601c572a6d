import { funnelEventBuilder, generateFunnelEvents, redelivered } from '@funnel/testing';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { REVIEW_STRATA } from '@funnel/domain';
import { allocate, rankedMembers, reviewRank } from './review-sample.rows';
import { reviewSampleReference, reviewStrata } from './review-sample.reference';

const STALL = { default: 21, byStage: {} };
const WEEK_OF = '2026-03-09T12:00Z'; // the week is [03-02T12:00, 03-09T12:00), not moved to a Monday

/**
 * ACCEPTED: V1 (SAL in the week), not V2 (SAL inferred from SQL), not V3 (SAL before the week).
 * REJECTED: V4 (and V1, which is listed in each of its strata). SLA_BREACHED with a 60-minute
 * limit: V5 (deadline in the week, activity after it), not V6 (activity exactly at the deadline),
 * not V7 (deadline at weekOf: outside). STALLED: O1 (open, no next step).
 */
function fixture() {
  const b = funnelEventBuilder();
  return [
    b.stage('V1', '2026-03-02T12:00Z', 'SAL'),
    b.stage('V2', '2026-03-03T00:00Z', 'SQL'),
    b.stage('V3', '2026-03-02T11:59:59.999Z', 'SAL'),
    b.dispositioned('V4', '2026-03-05T00:00Z'),
    b.dispositioned('V1', '2026-03-06T00:00Z'),
    b.stage('V5', '2026-03-04T00:00Z', 'MQL'),
    b.activity('V5', '2026-03-04T01:00:00.001Z'),
    b.stage('V6', '2026-03-04T00:00Z', 'MQL'),
    b.activity('V6', '2026-03-04T01:00Z'),
    b.stage('V7', '2026-03-09T11:00Z', 'MQL'),
    b.created('O1', '2026-03-01T00:00Z'),
    b.created('O2', '2026-03-01T00:00Z'),
    b.won('O2', '2026-03-02T00:00Z'),
  ];
}
const OPTS = { weekOf: WEEK_OF, speedToLeadMinutes: 60, stallDays: STALL };

describe('weekly review sample', () => {
  it('finds each stratum as DESIGN reads, at the edges of the week', () => {
    const strata = reviewStrata(fixture(), OPTS);
    expect(strata.ACCEPTED).toEqual(['V1']);
    expect(strata.REJECTED.sort()).toEqual(['V1', 'V4']);
    // V1, V2, V3 reached MQL inferred (at their SAL / SQL entry), with no activity at all.
    expect(strata.SLA_BREACHED.sort()).toEqual(['V1', 'V2', 'V3', 'V5']);
    expect(strata.STALLED).toEqual(['O1']);
  });

  it('ranks by the first 8 bytes of SHA-256("<seed>:<id>"), big-endian', () => {
    const digest = createHash('sha256').update('7:L-1').digest('hex');
    expect(reviewRank(7, 'L-1')).toBe(BigInt(`0x${digest.slice(0, 16)}`));
    const ids = ['a', 'b', 'c', 'd', 'e'];
    expect(rankedMembers(7, ids)).toEqual([...ids].sort((x, y) => (reviewRank(7, x) < reviewRank(7, y) ? -1 : 1)));
  });

  it('allocates in rounds: equal offers, the remainder to the first strata, the unused passed on', () => {
    expect(allocate(20, [100, 100, 100, 100])).toEqual([5, 5, 5, 5]);
    expect(allocate(7, [100, 100, 100, 100])).toEqual([2, 2, 2, 1]);
    expect(allocate(20, [1, 100, 2, 100])).toEqual([1, 9, 2, 8]); // round 1: 5 each; round 2: 12 over 2 open
    expect(allocate(20, [1, 2, 0, 3])).toEqual([1, 2, 0, 3]);
    expect(allocate(0, [5, 5, 5, 5])).toEqual([0, 0, 0, 0]);
    expect(allocate(2, [5, 5, 5, 5])).toEqual([1, 1, 0, 0]);
  });

  it('lists the items in stratum order, then rank, a lead in two strata in each', () => {
    const sample = reviewSampleReference(fixture(), { ...OPTS, size: 20, seed: 1 });
    expect(sample).toMatchObject({ weekOf: '2026-03-09T12:00:00.000Z', seed: 1, size: 20 });
    expect(sample.items.map((i) => i.stratum)).toEqual(['ACCEPTED', 'REJECTED', 'REJECTED', ...Array(4).fill('SLA_BREACHED'), 'STALLED']);
    expect(sample.items.filter((i) => i.subjectId === 'V1').map((i) => i.stratum)).toEqual(['ACCEPTED', 'REJECTED', 'SLA_BREACHED']);
    expect(sample.items.filter((i) => i.stratum === 'REJECTED').map((i) => i.subjectId)).toEqual(rankedMembers(1, ['V1', 'V4']));
  });
});

describe('weekly review sample properties over generated streams', () => {
  const input = fc.record({
    seed: fc.integer({ min: 1, max: 1_000_000 }),
    leads: fc.integer({ min: 0, max: 60 }),
    weekOf: fc.constantFrom('2026-01-08T00:00:00.000Z', '2026-01-21T13:30:00.000Z', '2026-02-04T00:00:00.000Z'),
    size: fc.integer({ min: 0, max: 40 }),
    sampleSeed: fc.integer({ min: 0, max: 100 }),
  });

  it('is reproducible, never larger than asked or than the strata, each stratum a lowest-rank prefix', () => {
    fc.assert(
      fc.property(input, ({ seed, leads, weekOf, size, sampleSeed }) => {
        const events = generateFunnelEvents({ leads, seed, routing: true });
        const opts = { ...OPTS, weekOf, size, seed: sampleSeed };
        const sample = reviewSampleReference(events, opts);
        expect(reviewSampleReference(redelivered(events, seed), opts)).toEqual(sample);
        const strata = reviewStrata(events, opts);
        const available = REVIEW_STRATA.reduce((n, s) => n + new Set(strata[s]).size, 0);
        expect(sample.items).toHaveLength(Math.min(size, available));
        for (const s of REVIEW_STRATA) {
          const chosen = sample.items.filter((i) => i.stratum === s).map((i) => i.subjectId);
          expect(chosen).toEqual(rankedMembers(sampleSeed, strata[s]).slice(0, chosen.length));
        }
      }),
    );
  });

  it('allocation: sums to min(size, members), never more than a stratum has, at least size/4 to a stratum left with members', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 4, maxLength: 4 }), (size, available) => {
        const taken = allocate(size, available);
        expect(taken.reduce((a, b) => a + b, 0)).toBe(Math.min(size, available.reduce((a, b) => a + b, 0)));
        taken.forEach((t, i) => expect(t).toBeLessThanOrEqual(available[i]));
        // It was open in the first round and took its whole offer, ⌊size / open⌋ or more.
        taken.forEach((t, i) => {
          if (t < available[i]) expect(t).toBeGreaterThanOrEqual(Math.floor(size / 4));
        });
      }),
    );
  });
});
