import type { FunnelEvent } from '@funnel/contracts';
import { generateFunnelEvents, shuffled } from '@funnel/testing';
import fc from 'fast-check';
import { pipelineVelocity } from './pipeline-velocity.reference';

const ev = <E extends FunnelEvent>(id: string, type: E['type'], occurredAt: string, data: E['data']): E =>
  ({ id, type, occurredAt, schemaVersion: 1, data }) as E;
const d = (n: number) => new Date(Date.parse('2026-03-01T00:00:00.000Z') + n * 86_400_000).toISOString();

const created = (o: string, day: number, amount = 300) => ev(`${o}-c`, 'OpportunityCreated', d(day), { opportunityId: o, amount });
const won = (o: string, day: number, amount?: number, n = 1) =>
  ev(`${o}-w${n}`, 'OpportunityWon', d(day), { opportunityId: o, ...(amount === undefined ? {} : { amount }) });
const lost = (o: string, day: number) => ev(`${o}-l`, 'OpportunityLost', d(day), { opportunityId: o, reason: 'price' as const });
const reopened = (o: string, day: number) => ev(`${o}-r`, 'OpportunityReopened', d(day), { opportunityId: o });

describe('pipelineVelocity', () => {
  // As of day 100, trailing 365 days: the window is (day −265, day 100].
  const events = [
    created('A', 0, 1000), won('A', 10, 1200), // won 1200 in 10 days
    created('B', 20, 500), ev('B-a', 'OpportunityAmountChanged', d(25), { opportunityId: 'B', amount: 800 }),
    won('B', 50), ev('B-b', 'OpportunityAmountChanged', d(60), { opportunityId: 'B', amount: 5000 }), // won 800 in 30 days
    created('C', 0), lost('C', 30),
    // Reopened and won again: the latest win sets the status; without its own amount it is
    // worth the latest created/amount-changed amount (300), in 40 days.
    created('D', 0), won('D', 5, 99), reopened('D', 6), won('D', 40, undefined, 2),
    created('E', 90), // open
    created('F', 10), won('F', 20), reopened('F', 30), // open again
    created('G', 101), // not yet created at T
    created('H', -400), lost('H', -300), // closed before the window
    created('I', -400), lost('I', -265), // exactly T − D: outside (T − D, T]
    created('J', -400), lost('J', -264),
    created('K', 0), won('K', 101), // still open at T
    won('X', 50, 10_000), // never created: does not count
  ];

  it('computes the hand-worked example', () => {
    const v = pipelineVelocity(events, { asOf: d(100) });
    // open E, F, K; won A, B, D; lost C, J.
    expect(v.openOpportunities).toBe(3);
    expect(v.winRate).toBeCloseTo(0.6, 12);
    expect(v.avgWonAmount).toBeCloseTo((1200 + 800 + 300) / 3, 9);
    expect(v.avgCycleDays).toBeCloseTo((10 + 30 + 40) / 3, 12);
    // 3 × 0.6 × 766.67 / 26.67
    expect(v.velocityPerDay).toBeCloseTo(51.75, 9);
  });

  it('narrows the trailing window', () => {
    // (day 35, day 100]: B and D won, nothing lost.
    expect(pipelineVelocity(events, { asOf: d(100), trailingDays: 65 })).toEqual({
      openOpportunities: 3, winRate: 1, avgWonAmount: 550, avgCycleDays: 35, velocityPerDay: (3 * 550) / 35,
    });
  });

  it('is null where an input is missing or the cycle is zero', () => {
    expect(pipelineVelocity([created('A', 0)], { asOf: d(1) })).toEqual({
      openOpportunities: 1, winRate: null, avgWonAmount: null, avgCycleDays: null, velocityPerDay: null,
    });
    expect(pipelineVelocity([created('A', 0), created('B', 0), lost('B', 1)], { asOf: d(2) })).toEqual({
      openOpportunities: 1, winRate: 0, avgWonAmount: null, avgCycleDays: null, velocityPerDay: null,
    });
    expect(pipelineVelocity([created('A', 0), created('B', 0), won('B', 0, 10)], { asOf: d(2) })).toEqual({
      openOpportunities: 1, winRate: 1, avgWonAmount: 10, avgCycleDays: 0, velocityPerDay: null,
    });
  });

  it('is the same for any order and redelivery', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 0, max: 200 }), (seed, asOfDay) => {
        const generated = generateFunnelEvents({ leads: 40, seed, start: d(-60) });
        const opts = { asOf: d(asOfDay - 60), trailingDays: 90 };
        expect(pipelineVelocity(shuffled([...generated, ...generated.slice(-40)], seed), opts)).toEqual(
          pipelineVelocity(generated, opts),
        );
      }),
      { numRuns: 100 },
    );
  });
});
