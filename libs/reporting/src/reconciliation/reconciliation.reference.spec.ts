import { funnelEventBuilder, generateFunnelEvents, redelivered } from '@funnel/testing';
import fc from 'fast-check';
import { DIMENSIONS } from '@funnel/domain';
import { funnelReport } from '../funnel/funnel.reference';
import { reconciliationReport } from './reconciliation.reference';
import { RECONCILIATION_BUCKETS } from './reconciliation.rows';

const MARCH = { from: '2026-03-01T00:00Z', to: '2026-04-01T00:00Z' };

function fixture() {
  const b = funnelEventBuilder();
  return [
    // R1: won.
    b.stage('R1', '2026-03-01T00:00Z', 'MQL'),
    b.created('O1', '2026-03-05T00:00Z', ['R1']),
    b.won('O1', '2026-03-20T00:00Z'),
    // R2: won, then reopened (after the period): open now, though the funnel keeps its WON reach.
    b.stage('R2', '2026-03-02T00:00Z', 'MQL'),
    b.converted('R2', '2026-03-03T00:00Z', 'O2'),
    b.created('O2', '2026-03-03T00:00Z'),
    b.won('O2', '2026-03-10T00:00Z'),
    b.reopened('O2', '2026-04-10T00:00Z'),
    // R3: linked to two opportunities, one lost and one won: WON matches first.
    b.stage('R3', '2026-03-03T00:00Z', 'MQL'),
    b.converted('R3', '2026-03-04T00:00Z', 'O3'),
    b.created('O3', '2026-03-04T00:00Z'),
    b.lost('O3', '2026-03-15T00:00Z'),
    b.created('O4', '2026-03-06T00:00Z', ['R3']),
    b.won('O4', '2026-03-25T00:00Z'),
    // R4: one deal won then lost (latest wins), another open: LOST beats OPPORTUNITY_OPEN.
    b.stage('R4', '2026-03-04T00:00Z', 'MQL'),
    b.created('O5', '2026-03-05T00:00Z', ['R4']),
    b.won('O5', '2026-03-10T00:00Z'),
    b.lost('O5', '2026-03-12T00:00Z'),
    b.created('O6', '2026-03-06T00:00Z', ['R4']),
    // R5: SQL and converted into an opportunity that was never created: not a linked opportunity.
    b.stage('R5', '2026-03-05T00:00Z', 'MQL'),
    b.stage('R5', '2026-03-06T00:00Z', 'SQL'),
    b.converted('R5', '2026-03-07T00:00Z', 'O7'),
    // R6: accepted, then rejected: REJECTED beats ACCEPTED_NOT_QUALIFIED.
    b.stage('R6', '2026-03-06T00:00Z', 'MQL'),
    b.stage('R6', '2026-03-07T00:00Z', 'SAL'),
    b.dispositioned('R6', '2026-03-08T00:00Z'),
    // R7: accepted only.
    b.stage('R7', '2026-03-07T00:00Z', 'MQL'),
    b.stage('R7', '2026-03-08T00:00Z', 'SAL'),
    // R8: MQL only.
    b.stage('R8', '2026-03-08T00:00Z', 'MQL'),
    // R9: rejected, recycled, later qualified: QUALIFIED_NO_OPPORTUNITY beats REJECTED.
    b.stage('R9', '2026-03-09T00:00Z', 'MQL'),
    b.dispositioned('R9', '2026-03-10T00:00Z'),
    b.recycled('R9', '2026-03-20T00:00Z'),
    b.stage('R9', '2026-03-25T00:00Z', 'SQL'),
    // R10: MQL in February.
    b.stage('R10', '2026-02-28T00:00Z', 'MQL'),
    // R11: MQL inferred from SAL in March.
    b.captured('R11', '2026-02-01T00:00Z'),
    b.stage('R11', '2026-03-11T00:00Z', 'SAL'),
  ];
}

describe('reconciliationReport', () => {
  it('puts each MQL of the period in the first matching bucket by its current state', () => {
    const [row, ...rest] = reconciliationReport(fixture(), MARCH);
    expect(rest).toEqual([]);
    expect(row).toEqual({
      key: null,
      mqls: 10,
      won: 2,
      lost: 1,
      opportunityOpen: 1,
      qualifiedNoOpportunity: 2,
      rejected: 1,
      acceptedNotQualified: 2,
      neverAccepted: 1,
      leadIds: {
        WON: ['R1', 'R3'],
        LOST: ['R4'],
        OPPORTUNITY_OPEN: ['R2'],
        QUALIFIED_NO_OPPORTUNITY: ['R5', 'R9'],
        REJECTED: ['R6'],
        ACCEPTED_NOT_QUALIFIED: ['R11', 'R7'],
        NEVER_ACCEPTED: ['R8'],
      },
    });
  });

  it('agrees with the funnel that a reopened deal still reached WON', () => {
    const won = funnelReport(fixture(), { ...MARCH, anchor: 'MQL' })[0].stages[5];
    expect(won.reached).toBe(4); // R1, R2, R3, R4
  });

  it('has one all-zero row for an empty cohort, and a row per key with a breakdown', () => {
    const empty = reconciliationReport(fixture(), { from: '2027-01-01T00:00Z', to: '2027-02-01T00:00Z' });
    expect(empty).toHaveLength(1);
    expect(empty[0]).toMatchObject({ key: null, mqls: 0, won: 0, neverAccepted: 0 });
    expect(Object.values(empty[0].leadIds).flat()).toEqual([]);
    expect(reconciliationReport(fixture(), { ...MARCH, breakdown: 'OWNER' }).map((r) => [r.key, r.mqls])).toEqual([['(none)', 10]]);
  });
});

describe('reconciliationReport properties over generated streams', () => {
  const period = { from: '2026-01-10T00:00:00.000Z', to: '2026-02-20T00:00:00.000Z' };
  const input = fc.record({
    seed: fc.integer({ min: 1, max: 1_000_000 }),
    leads: fc.integer({ min: 1, max: 40 }),
    breakdown: fc.option(fc.constantFrom(...DIMENSIONS), { nil: undefined }),
  });

  it('buckets partition the MQL cohort: counts sum to mqls and every lead is listed exactly once', () => {
    fc.assert(
      fc.property(input, ({ seed, leads, breakdown }) => {
        const events = generateFunnelEvents({ leads, seed });
        const rows = reconciliationReport(events, { ...period, breakdown });
        const mqls = funnelReport(events, { ...period, anchor: 'MQL' })[0].stages[1].reached;
        expect(rows.reduce((n, r) => n + r.mqls, 0)).toBe(mqls);
        for (const r of rows) {
          const { key, mqls: count, leadIds, ...buckets } = r;
          expect(Object.values(buckets).reduce((n, c) => n + c, 0)).toBe(count);
          for (const b of RECONCILIATION_BUCKETS) expect(leadIds[b]).toEqual([...leadIds[b]].sort());
        }
        const ids = rows.flatMap((r) => Object.values(r.leadIds).flat());
        expect(new Set(ids).size).toBe(mqls);
        expect(ids).toHaveLength(mqls);
      }),
    );
  });

  it('is the same under shuffling and redelivery', () => {
    fc.assert(
      fc.property(input, ({ seed, leads, breakdown }) => {
        const events = generateFunnelEvents({ leads, seed });
        expect(reconciliationReport(redelivered(events, seed), { ...period, breakdown })).toEqual(
          reconciliationReport(events, { ...period, breakdown }),
        );
      }),
    );
  });
});
