import { funnelEventBuilder, generateFunnelEvents, redelivered } from '@funnel/testing';
import fc from 'fast-check';
import { FUNNEL_STAGES, GRAINS, type FunnelStage } from '@funnel/domain';
import { funnelReport } from '../funnel/funnel.reference';
import { cohortLabel, cohortReport } from './cohorts.reference';

describe('cohortLabel', () => {
  it.each([
    ['2026-01-01T12:00:00.000Z', '2026-W01'], // a Thursday: week 1 of its own year
    ['2027-01-01T00:00:00.000Z', '2026-W53'], // a Friday: last week of the previous ISO year
    ['2025-12-29T00:00:00.000Z', '2026-W01'], // a Monday in December opening next year's week 1
    ['2024-12-30T23:59:59.999Z', '2025-W01'],
    ['2021-01-03T00:00:00.000Z', '2020-W53'], // a Sunday closes the week
    ['2026-12-28T00:00:00.000Z', '2026-W53'],
    ['2027-01-04T00:00:00.000Z', '2027-W01'],
    ['2027-01-31T23:59:59.999Z', '2027-W04'],
  ])('puts %s in ISO week %s', (at, week) => expect(cohortLabel(at, 'WEEK')).toBe(week));

  it('uses the UTC calendar day and month, whatever offset the instant was written in', () => {
    expect(cohortLabel('2027-01-01T00:30:00+02:00', 'DAY')).toBe('2026-12-31');
    expect(cohortLabel('2027-01-01T00:30:00+02:00', 'MONTH')).toBe('2026-12');
  });
});

describe('cohortReport', () => {
  const period = { from: '2026-12-01T00:00Z', to: '2027-02-01T00:00Z', target: 'MQL' as const };
  /** A converts exactly 7 days after capture, B 7 days and 1 ms after, C before capture, D never. */
  function fixture() {
    const b = funnelEventBuilder();
    return [
      b.captured('A', '2026-12-30T00:00Z'),
      b.stage('A', '2027-01-06T00:00Z', 'MQL'),
      b.captured('B', '2027-01-01T00:00Z'),
      b.stage('B', '2027-01-08T00:00:00.001Z', 'MQL'),
      b.captured('C', '2027-01-04T00:00Z'),
      b.stage('C', '2027-01-03T00:00Z', 'SQL'),
      b.captured('D', '2027-01-31T23:59:59.999Z'),
      b.captured('E', '2027-02-01T00:00Z'), // outside the half-open period
    ];
  }

  it('buckets by ISO week across the year boundary, with a windowed target and maturity as of asOf', () => {
    const rows = cohortReport(fixture(), { ...period, grain: 'WEEK', windowDays: 7, asOf: '2027-01-08T00:00Z' });
    expect(rows).toEqual([
      // A and B both matured exactly (anchor + 7 days = asOf for B); only A converted in time.
      { cohort: '2026-W53', size: 2, converted: 1, rate: 0.5, maturity: 1 },
      { cohort: '2027-W01', size: 1, converted: 1, rate: 1, maturity: 0 },
      { cohort: '2027-W04', size: 1, converted: 0, rate: 0, maturity: 0 },
    ]);
  });

  it('without a window counts any conversion, asOf does not limit it, and maturity is 1', () => {
    const rows = cohortReport(fixture(), { ...period, grain: 'MONTH', asOf: '2026-12-01T00:00Z' });
    expect(rows).toEqual([
      { cohort: '2026-12', size: 1, converted: 1, rate: 1, maturity: 1 },
      { cohort: '2027-01', size: 3, converted: 2, rate: 2 / 3, maturity: 1 },
    ]);
  });

  it('lists only non-empty days, in order, anchored on another stage', () => {
    const rows = cohortReport(fixture(), { ...period, grain: 'DAY', anchor: 'MQL', target: 'SQL', asOf: '2027-03-01T00:00Z' });
    expect(rows.map((r) => [r.cohort, r.size, r.converted])).toEqual([
      ['2027-01-03', 1, 1],
      ['2027-01-06', 1, 0],
      ['2027-01-08', 1, 0],
    ]);
  });
});

describe('cohortReport properties over generated streams', () => {
  const period = { from: '2026-01-10T00:00:00.000Z', to: '2026-02-20T00:00:00.000Z' };
  const input = fc.record({
    seed: fc.integer({ min: 1, max: 1_000_000 }),
    leads: fc.integer({ min: 1, max: 40 }),
    grain: fc.constantFrom(...GRAINS),
    anchor: fc.constantFrom<FunnelStage>(...FUNNEL_STAGES),
    target: fc.constantFrom<FunnelStage>(...FUNNEL_STAGES),
    windowDays: fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined }),
    asOf: fc.constantFrom('2026-01-20T00:00:00.000Z', '2026-03-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'),
  });

  it('sizes sum to the funnel cohort, converted matches the funnel target count, and rows are well-formed', () => {
    fc.assert(
      fc.property(input, ({ seed, leads, ...opts }) => {
        const events = generateFunnelEvents({ leads, seed });
        const rows = cohortReport(events, { ...period, ...opts });
        const funnel = funnelReport(events, { ...period, anchor: opts.anchor, windowDays: opts.windowDays })[0];
        expect(rows.reduce((n, r) => n + r.size, 0)).toBe(funnel.stages[FUNNEL_STAGES.indexOf(opts.anchor)].reached);
        expect(rows.reduce((n, r) => n + r.converted, 0)).toBe(funnel.stages[FUNNEL_STAGES.indexOf(opts.target)].reached);
        const labels = rows.map((r) => r.cohort);
        expect(labels).toEqual([...labels].sort());
        for (const r of rows) {
          expect(r.size).toBeGreaterThan(0);
          expect(r.converted).toBeLessThanOrEqual(r.size);
          expect(r.maturity).toBeGreaterThanOrEqual(0);
          expect(r.maturity).toBeLessThanOrEqual(1);
        }
      }),
    );
  });

  it('is the same under shuffling and redelivery', () => {
    fc.assert(
      fc.property(input, ({ seed, leads, ...opts }) => {
        const events = generateFunnelEvents({ leads, seed });
        expect(cohortReport(redelivered(events, seed), { ...period, ...opts })).toEqual(cohortReport(events, { ...period, ...opts }));
      }),
    );
  });
});
