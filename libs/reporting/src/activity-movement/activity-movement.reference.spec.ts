import { funnelEventBuilder, generateFunnelEvents, redelivered } from '@funnel/testing';
import { DIMENSIONS } from '@funnel/domain';
import fc from 'fast-check';
import { activityMovementReport } from './activity-movement.reference';

const MARCH = { from: '2026-03-01T00:00Z', to: '2026-04-01T00:00Z' };

/**
 * A1 (rep-a): 3 activities, MQL and SAL entries in March. A2 (rep-a): 2 activities, no movement
 * (its MQL was in February). A3 (rep-b, activities logged by someone else): SQL entry only (MQL
 * and SAL inferred: not movements), converted and won in March: 3 movements. A4: a capture only
 * (CAPTURED is no movement), activity in April: no row for (none).
 */
function fixture() {
  const b = funnelEventBuilder();
  return [
    b.assigned('A1', '2026-02-01T00:00Z', 'rep-a'),
    b.stage('A1', '2026-03-02T00:00Z', 'MQL'),
    b.stage('A1', '2026-03-03T00:00Z', 'SAL'),
    b.activity('A1', '2026-03-02T01:00Z'),
    b.activity('A1', '2026-03-02T02:00Z'),
    b.activity('A1', '2026-03-31T23:59:59.999Z'),
    b.assigned('A2', '2026-02-01T00:00Z', 'rep-a'),
    b.stage('A2', '2026-02-10T00:00Z', 'MQL'),
    b.activity('A2', '2026-03-01T00:00Z'),
    b.activity('A2', '2026-03-05T00:00Z'),
    b.assigned('A3', '2026-02-01T00:00Z', 'rep-b'),
    b.stage('A3', '2026-03-05T00:00Z', 'SQL'),
    b.ev('LeadActivityLogged', '2026-02-01T00:00Z', { leadId: 'A3', ownerId: 'rep-a', activityType: 'call' }),
    b.converted('A3', '2026-03-06T00:00Z', 'O3'),
    b.created('O3', '2026-03-06T00:00Z'),
    b.won('O3', '2026-03-20T00:00Z'),
    b.captured('A4', '2026-03-01T00:00Z'),
    b.activity('A4', '2026-04-01T00:00Z'),
  ];
}

describe('activityMovementReport', () => {
  it('counts activities and explicit stage entries in the period by the lead owner', () => {
    expect(activityMovementReport(fixture(), MARCH)).toEqual([
      { key: 'rep-a', activities: 5, movements: 2, leadsWorked: 2, leadsMoved: 1, leadsWorkedNotMoved: 1, activitiesPerMovement: 2.5 },
      { key: 'rep-b', activities: 0, movements: 3, leadsWorked: 0, leadsMoved: 1, leadsWorkedNotMoved: 0, activitiesPerMovement: 0 },
    ]);
  });

  it('has null activities per movement for effort without progress, and no row for a key with neither', () => {
    const rows = activityMovementReport(fixture(), { from: '2026-03-04T00:00Z', to: '2026-03-05T00:00Z' });
    expect(rows).toEqual([]);
    expect(activityMovementReport(fixture(), { from: '2026-03-05T00:00Z', to: '2026-03-06T00:00Z', breakdown: 'SEGMENT' })).toEqual([
      // A2 worked (not moved), A3 moved (not worked): the ratio is per key, not per lead.
      { key: '(none)', activities: 1, movements: 1, leadsWorked: 1, leadsMoved: 1, leadsWorkedNotMoved: 1, activitiesPerMovement: 1 },
    ]);
    expect(activityMovementReport(fixture(), { from: '2026-04-01T00:00Z', to: '2026-04-02T00:00Z' })).toEqual([
      { key: '(none)', activities: 1, movements: 0, leadsWorked: 1, leadsMoved: 0, leadsWorkedNotMoved: 1, activitiesPerMovement: null },
    ]);
  });
});

describe('activityMovementReport properties over generated streams', () => {
  const input = fc.record({
    seed: fc.integer({ min: 1, max: 1_000_000 }),
    leads: fc.integer({ min: 0, max: 40 }),
    breakdown: fc.option(fc.constantFrom(...DIMENSIONS), { nil: undefined }),
    split: fc.constantFrom('2026-01-15T00:00:00.000Z', '2026-02-01T00:00:00.000Z'),
  });
  const [from, to] = ['2026-01-01T00:00:00.000Z', '2026-03-15T00:00:00.000Z'];

  it('worked-not-moved <= worked; the totals add up over adjacent periods and over keys', () => {
    fc.assert(
      fc.property(input, ({ seed, leads, breakdown, split }) => {
        const events = generateFunnelEvents({ leads, seed });
        const sum = (rows: ReturnType<typeof activityMovementReport>, k: 'activities' | 'movements') => rows.reduce((n, r) => n + r[k], 0);
        const whole = activityMovementReport(events, { from, to, breakdown });
        for (const r of whole) {
          expect(r.leadsWorkedNotMoved).toBeLessThanOrEqual(r.leadsWorked);
          expect(r.activities + r.movements).toBeGreaterThan(0);
          expect(r.leadsMoved).toBeLessThanOrEqual(r.movements);
        }
        const parts = [activityMovementReport(events, { from, to: split, breakdown }), activityMovementReport(events, { from: split, to, breakdown })];
        for (const k of ['activities', 'movements'] as const) expect(sum(parts[0], k) + sum(parts[1], k)).toBe(sum(whole, k));
        expect(sum(activityMovementReport(events, { from, to, breakdown: 'REGION' }), 'movements')).toBe(sum(whole, 'movements'));
      }),
    );
  });

  it('is the same under shuffling and redelivery', () => {
    fc.assert(
      fc.property(input, ({ seed, leads, breakdown }) => {
        const events = generateFunnelEvents({ leads, seed });
        expect(activityMovementReport(redelivered(events, seed), { from, to, breakdown })).toEqual(activityMovementReport(events, { from, to, breakdown }));
      }),
    );
  });
});
