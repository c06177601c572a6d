import type { FunnelEvent } from '@funnel/contracts';
import { generateFunnelEvents, shuffled } from '@funnel/testing';
import fc from 'fast-check';
import { stalledOpportunities } from './stalled.reference';
import type { StallDays } from './stalled.rows';

const ev = <E extends FunnelEvent>(id: string, type: E['type'], occurredAt: string, data: E['data']): E =>
  ({ id, type, occurredAt, schemaVersion: 1, data }) as E;
const d = (n: number) => new Date(Date.parse('2026-03-01T00:00:00.000Z') + n * 86_400_000).toISOString();

const stallDays: StallDays = { default: 21, byStage: { proposal: 5 } };
const created = (id: string, day = 0, extra: Partial<{ stage: string; ownerId: string; amount: number }> = {}) =>
  ev(`${id}-c`, 'OpportunityCreated', d(day), { opportunityId: id, amount: 100, stage: 'discovery', ownerId: 'ae-1', ...extra });
const stalled = (events: FunnelEvent[], asOfDay = 30) => stalledOpportunities(events, { asOf: d(asOfDay), stallDays });
const reasonsOf = (events: FunnelEvent[], asOfDay = 30) => stalled(events, asOfDay).map((r) => [r.id, r.reasons]);

describe('stalledOpportunities', () => {
  it('reports an untouched deal as stalled with no next step', () => {
    expect(stalled([created('O1'), ev('x', 'OpportunityAmountChanged', d(31), { opportunityId: 'O1', amount: 999 })])).toEqual([
      { id: 'O1', stage: 'discovery', amount: 100, ownerId: 'ae-1', daysInStage: 30, reasons: ['STALLED_IN_STAGE', 'NO_NEXT_STEP'] },
    ]);
  });

  it('is not stalled at exactly stallDays, and uses the per-stage limit', () => {
    expect(reasonsOf([created('O1', 9)])).toEqual([['O1', ['NO_NEXT_STEP']]]);
    const proposal = [created('O1'), ev('s', 'OpportunityStageChanged', d(24), { opportunityId: 'O1', stage: 'proposal' })];
    expect(stalled(proposal)[0]).toMatchObject({ stage: 'proposal', daysInStage: 6, reasons: ['STALLED_IN_STAGE', 'NO_NEXT_STEP'] });
  });

  it('restarts the clock on a stage change to the same stage', () => {
    const events = [created('O1'), ev('s', 'OpportunityStageChanged', d(25), { opportunityId: 'O1', stage: 'discovery' })];
    expect(stalled(events)[0]).toMatchObject({ daysInStage: 5, reasons: ['NO_NEXT_STEP'] });
  });

  it('counts from creation when the last stage change is older, but takes its stage', () => {
    const events = [created('O1', 2), ev('s', 'OpportunityStageChanged', d(1), { opportunityId: 'O1', stage: 'proposal' })];
    expect(stalled(events)[0]).toMatchObject({ stage: 'proposal', daysInStage: 28 });
  });

  it('silences the stall while an acknowledgement made by T runs past T', () => {
    const ack = (id: string, day: number, resumeDay: number) =>
      ev(id, 'OpportunityStallAcknowledged', d(day), { opportunityId: 'O1', reason: 'holiday', resumeBy: d(resumeDay) });
    expect(reasonsOf([created('O1'), ack('a', 10, 31)])).toEqual([['O1', ['NO_NEXT_STEP']]]);
    // resumeBy before T, or exactly T, no longer silences it.
    expect(reasonsOf([created('O1'), ack('a', 10, 29)])).toEqual([['O1', ['STALLED_IN_STAGE', 'NO_NEXT_STEP']]]);
    expect(reasonsOf([created('O1'), ack('a', 10, 30)])).toEqual([['O1', ['STALLED_IN_STAGE', 'NO_NEXT_STEP']]]);
    // An acknowledgement made after T does not count yet.
    expect(reasonsOf([created('O1'), ack('a', 31, 60)])).toEqual([['O1', ['STALLED_IN_STAGE', 'NO_NEXT_STEP']]]);
    // Any running acknowledgement counts, even when a later one has already expired.
    expect(reasonsOf([created('O1'), ack('a', 10, 40), ack('b', 20, 25)])).toEqual([['O1', ['NO_NEXT_STEP']]]);
  });

  it('flags the most recently set next step when due before T, not when due exactly at T', () => {
    const step = (id: string, day: number, dueDay: number) =>
      ev(id, 'OpportunityNextStepSet', d(day), { opportunityId: 'O1', nextStep: 'call', dueAt: d(dueDay) });
    const fresh = created('O1', 20);
    expect(reasonsOf([fresh, step('n', 21, 30)])).toEqual([]);
    expect(reasonsOf([fresh, step('n', 21, 29)])).toEqual([['O1', ['NEXT_STEP_OVERDUE']]]);
    // The latest set wins by occurredAt, whatever its due date.
    expect(reasonsOf([fresh, step('n1', 21, 40), step('n2', 22, 25)])).toEqual([['O1', ['NEXT_STEP_OVERDUE']]]);
    expect(reasonsOf([fresh, step('n1', 21, 25), step('n2', 22, 40)])).toEqual([]);
    // A next step set after T is not known at T.
    expect(reasonsOf([fresh, step('n', 31, 40)])).toEqual([['O1', ['NO_NEXT_STEP']]]);
  });

  it('lists only deals open at T: reopened ones count, closed and not yet created ones do not', () => {
    const status = (id: string, type: 'OpportunityWon' | 'OpportunityLost' | 'OpportunityReopened', day: number, opp: string) =>
      type === 'OpportunityLost'
        ? ev(id, type, d(day), { opportunityId: opp, reason: 'price' as const })
        : ev(id, type, d(day), { opportunityId: opp });
    const events = [
      created('A'), status('a1', 'OpportunityWon', 10, 'A'), status('a2', 'OpportunityReopened', 12, 'A'),
      created('B'), status('b1', 'OpportunityWon', 10, 'B'), status('b2', 'OpportunityReopened', 31, 'B'),
      created('C'), status('c1', 'OpportunityLost', 10, 'C'), status('c2', 'OpportunityReopened', 12, 'C'), status('c3', 'OpportunityLost', 20, 'C'),
      created('D', 31),
      status('e1', 'OpportunityWon', 1, 'E'),
      // Same instant: the larger event id sets the status.
      created('F'), status('f1', 'OpportunityReopened', 15, 'F'), status('f2', 'OpportunityLost', 15, 'F'),
      created('G'), status('g2', 'OpportunityReopened', 15, 'G'), status('g1', 'OpportunityLost', 15, 'G'),
    ];
    expect(stalled(events).map((r) => r.id)).toEqual(['A', 'G']);
  });

  it('sorts by daysInStage descending, then id', () => {
    const events = [created('B', 5), created('A', 5), created('C', 0, { amount: 7 }), created('D', 28)];
    expect(stalled(events).map((r) => [r.id, r.daysInStage])).toEqual([['C', 30], ['A', 25], ['B', 25], ['D', 2]]);
  });

  it('is the same for any order and redelivery, and lists only deals with a reason', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 0, max: 120 }), (seed, asOfDay) => {
        const events = generateFunnelEvents({ leads: 40, seed, start: d(-60) });
        const asOf = d(asOfDay - 60);
        const opts = { asOf, stallDays: { default: 10, byStage: { proposal: 7 } } };
        const rows = stalledOpportunities(events, opts);
        expect(stalledOpportunities(shuffled([...events, ...events.slice(0, 50)], seed), opts)).toEqual(rows);
        for (const r of rows) expect(r.reasons.length).toBeGreaterThan(0);
        for (let i = 1; i < rows.length; i++) expect(rows[i - 1].daysInStage).toBeGreaterThanOrEqual(rows[i].daysInStage);
      }),
      { numRuns: 100 },
    );
  });
});
