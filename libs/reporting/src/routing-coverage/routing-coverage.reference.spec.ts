import { funnelEventBuilder, generateFunnelEvents, redelivered } from '@funnel/testing';
import { DIMENSIONS } from '@funnel/domain';
import fc from 'fast-check';
import { routingCoverageReport, routingLeadIds } from './routing-coverage.reference';

const MARCH = { from: '2026-03-01T00:00Z', to: '2026-04-01T00:00Z' };
const OPTS = { ...MARCH, asOf: '2026-03-10T00:00Z', fallbackQueues: ['fallback'] };

/**
 * R1: assigned 30 min after MQL, then reassigned to the fallback queue. R2: assigned 10 min
 * before its MQL (negative kept). R3: inferred MQL (SQL entry), assigned 90 min later, same
 * owner twice (still reassigned). R4: assigned only after asOf (unassigned). R5: never assigned.
 * R6: latest assignment before asOf has no queue, a later one (after asOf) is to fallback.
 */
function fixture() {
  const b = funnelEventBuilder();
  const assign = (leadId: string, at: string, ownerId: string, queue?: string) => b.ev('LeadAssigned', at, { leadId, ownerId, queue });
  return [
    b.stage('R1', '2026-03-01T00:00Z', 'MQL'),
    assign('R1', '2026-03-01T00:30Z', 'rep-a', 'inbound'),
    assign('R1', '2026-03-02T00:00Z', 'pool', 'fallback'),
    b.stage('R2', '2026-03-02T00:10Z', 'MQL'),
    assign('R2', '2026-03-02T00:00Z', 'rep-b'),
    b.stage('R3', '2026-03-03T00:00Z', 'SQL'),
    assign('R3', '2026-03-03T01:30Z', 'rep-a'),
    assign('R3', '2026-03-04T00:00Z', 'rep-a'),
    b.stage('R4', '2026-03-04T00:00Z', 'MQL'),
    assign('R4', '2026-03-20T00:00Z', 'rep-b'),
    b.stage('R5', '2026-03-05T00:00Z', 'MQL'),
    b.stage('R6', '2026-03-05T00:00Z', 'MQL'),
    assign('R6', '2026-03-05T01:00Z', 'rep-c'),
    assign('R6', '2026-03-12T00:00Z', 'pool', 'fallback'),
    b.stage('R7', '2026-02-27T00:00Z', 'MQL'), // not in the cohort
    assign('R7', '2026-02-27T00:00Z', 'pool', 'fallback'),
  ];
}

describe('routingCoverageReport', () => {
  it('counts coverage, minutes to first assignment, reassignments and fallback queues as of asOf', () => {
    expect(routingCoverageReport(fixture(), OPTS)).toEqual([
      {
        key: null, mqls: 6, assigned: 4, unassigned: 2, coverageRate: 4 / 6,
        // minutes: -10, 30, 60, 90
        p50MinutesToAssignment: 45, p90MinutesToAssignment: 60 + 0.7 * 30,
        reassigned: 2, inFallbackQueue: 1,
      },
    ]);
  });

  it('lets later assignments count once asOf passes them; the cohort stays the same', () => {
    const [row] = routingCoverageReport(fixture(), { ...OPTS, asOf: '2026-04-01T00:00Z' });
    expect(row).toMatchObject({ mqls: 6, assigned: 5, unassigned: 1, reassigned: 3, inFallbackQueue: 2 });
  });

  it('reads the fallback queues from the definition', () => {
    const [row] = routingCoverageReport(fixture(), { ...OPTS, fallbackQueues: ['inbound'] });
    expect(row.inFallbackQueue).toBe(0);
    expect(routingCoverageReport(fixture(), { ...OPTS, fallbackQueues: [] })[0].inFallbackQueue).toBe(0);
  });

  it('breaks down by owner (latest assignee in the whole log, even after asOf)', () => {
    const rows = routingCoverageReport(fixture(), { ...OPTS, breakdown: 'OWNER' });
    expect(rows.map((r) => [r.key, r.mqls, r.assigned, r.inFallbackQueue])).toEqual([
      ['(none)', 1, 0, 0], // R5
      ['pool', 2, 2, 1], // R1, R6
      ['rep-a', 1, 1, 0], // R3
      ['rep-b', 2, 1, 0], // R2, R4
    ]);
  });

  it('lists the unassigned and fallback-queue lead ids, per key when asked', () => {
    expect(routingLeadIds(fixture(), { ...OPTS, list: 'UNASSIGNED' })).toEqual(['R4', 'R5']);
    expect(routingLeadIds(fixture(), { ...OPTS, list: 'IN_FALLBACK_QUEUE' })).toEqual(['R1']);
    expect(routingLeadIds(fixture(), { ...OPTS, list: 'UNASSIGNED', breakdown: 'OWNER', key: 'rep-b' })).toEqual(['R4']);
  });

  it('has one all-zero row with null rates for an empty cohort', () => {
    expect(routingCoverageReport(fixture(), { ...OPTS, from: '2027-01-01T00:00Z', to: '2027-02-01T00:00Z' })).toEqual([
      { key: null, mqls: 0, assigned: 0, unassigned: 0, coverageRate: null, p50MinutesToAssignment: null, p90MinutesToAssignment: null, reassigned: 0, inFallbackQueue: 0 },
    ]);
  });
});

describe('routingCoverageReport properties over generated streams', () => {
  const period = { from: '2026-01-10T00:00:00.000Z', to: '2026-02-20T00:00:00.000Z' };
  const input = fc.record({
    seed: fc.integer({ min: 1, max: 1_000_000 }),
    leads: fc.integer({ min: 1, max: 40 }),
    asOf: fc.constantFrom('2026-01-05T00:00:00.000Z', '2026-02-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'),
    breakdown: fc.constantFrom(...DIMENSIONS),
  });

  it('assigned + unassigned = mqls; reassigned, fallback <= assigned; keys sum to the total; p50 <= p90', () => {
    fc.assert(
      fc.property(input, ({ seed, leads, asOf, breakdown }) => {
        const events = generateFunnelEvents({ leads, seed, routing: true });
        const opts = { ...period, asOf, fallbackQueues: ['fallback'] };
        const [total] = routingCoverageReport(events, opts);
        expect(total.assigned + total.unassigned).toBe(total.mqls);
        expect(total.reassigned).toBeLessThanOrEqual(total.assigned);
        expect(total.inFallbackQueue).toBeLessThanOrEqual(total.assigned);
        if (total.p50MinutesToAssignment !== null) expect(total.p50MinutesToAssignment).toBeLessThanOrEqual(total.p90MinutesToAssignment as number);
        const rows = routingCoverageReport(events, { ...opts, breakdown });
        for (const k of ['mqls', 'assigned', 'reassigned', 'inFallbackQueue'] as const) expect(rows.reduce((n, r) => n + r[k], 0)).toBe(total[k]);
        expect(routingLeadIds(events, { ...opts, list: 'UNASSIGNED' })).toHaveLength(total.unassigned);
        expect(routingLeadIds(events, { ...opts, list: 'IN_FALLBACK_QUEUE' })).toHaveLength(total.inFallbackQueue);
      }),
    );
  });

  it('is the same under shuffling and redelivery', () => {
    fc.assert(
      fc.property(input, ({ seed, leads, asOf, breakdown }) => {
        const events = generateFunnelEvents({ leads, seed, routing: true });
        const opts = { ...period, asOf, fallbackQueues: ['fallback'], breakdown };
        expect(routingCoverageReport(redelivered(events, seed), opts)).toEqual(routingCoverageReport(events, opts));
      }),
    );
  });
});
