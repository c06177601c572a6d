import { funnelEventBuilder, generateFunnelEvents } from '@funnel/testing';
import { DIMENSIONS, FUNNEL_STAGES } from '@funnel/domain';
import fc from 'fast-check';
import { conversionChangeReport } from './conversion-change.reference';

const PERIODS = { baseFrom: '2026-01-01T00:00Z', baseTo: '2026-02-01T00:00Z', from: '2026-02-01T00:00Z', to: '2026-03-01T00:00Z' };

/**
 * January: 2 paid leads (1 SQL), 2 organic (0 SQL). February: 1 paid (1 SQL), 3 organic (1 SQL),
 * 1 referral (no SQL, absent in January: it takes its own rate in January too).
 */
function fixture() {
  const b = funnelEventBuilder();
  const lead = (id: string, at: string, channel: string, sql: boolean) => [
    b.captured(id, at, { channel }),
    b.stage(id, at, 'MQL'),
    ...(sql ? [b.stage(id, at.replace('T00', 'T05'), 'SQL')] : []),
  ];
  return [
    ...lead('J1', '2026-01-05T00:00Z', 'paid', true),
    ...lead('J2', '2026-01-06T00:00Z', 'paid', false),
    ...lead('J3', '2026-01-07T00:00Z', 'organic', false),
    ...lead('J4', '2026-01-08T00:00Z', 'organic', false),
    ...lead('F1', '2026-02-05T00:00Z', 'paid', true),
    ...lead('F2', '2026-02-06T00:00Z', 'organic', true),
    ...lead('F3', '2026-02-07T00:00Z', 'organic', false),
    ...lead('F4', '2026-02-08T00:00Z', 'organic', false),
    ...lead('F5', '2026-02-09T00:00Z', 'referral', false),
  ];
}

describe('conversionChangeReport', () => {
  it('splits the change of the SQL rate into mix and rate effects per channel', () => {
    const r = conversionChangeReport(fixture(), { ...PERIODS, anchor: 'CAPTURED', target: 'SQL', by: 'CHANNEL' });
    expect(r).toMatchObject({ baseLeads: 4, leads: 5, baseRate: 0.25, rate: 0.4 });
    expect(r.change).toBeCloseTo(0.15, 12);
    const [organic, paid, referral] = r.rows;
    expect(organic).toMatchObject({ key: 'organic', baseLeads: 2, leads: 3, baseConverted: 0, converted: 1, baseShare: 0.5, share: 0.6, baseRate: 0 });
    expect(organic.mixEffect).toBeCloseTo(0.1 * (0 + 1 / 3) / 2, 12);
    expect(organic.rateEffect).toBeCloseTo((1 / 3) * 1.1 / 2, 12);
    expect(paid).toMatchObject({ key: 'paid', baseShare: 0.5, share: 0.2, baseRate: 0.5, rate: 1 });
    expect(paid.mixEffect).toBeCloseTo(-0.3 * 1.5 / 2, 12);
    expect(paid.rateEffect).toBeCloseTo(0.5 * 0.7 / 2, 12);
    // Absent in January: null rate shown there, but February's rate (0) is used, so no rate effect.
    expect(referral).toMatchObject({ key: 'referral', baseLeads: 0, baseShare: 0, baseRate: null, rate: 0, mixEffect: 0, rateEffect: 0 });
    expect((r.mixEffect as number) + (r.rateEffect as number)).toBeCloseTo(r.change as number, 12);
    expect(r.steps.map((s) => [s.fromStage, s.toStage, s.owner, s.baseRate, s.rate])).toEqual([
      ['CAPTURED', 'MQL', 'MARKETING', 1, 1],
      ['MQL', 'SAL', 'SALES', 0.25, 0.4],
      ['SAL', 'SQL', 'SALES', 1, 1],
    ]);
    expect(r.steps.map((s) => s.logChange)).toEqual([0, Math.log(0.4 / 0.25), 0]);
  });

  it('has null change and effects when either cohort is empty, and rows for the other', () => {
    const r = conversionChangeReport(fixture(), { ...PERIODS, from: '2027-01-01T00:00Z', to: '2027-02-01T00:00Z', anchor: 'CAPTURED', target: 'SQL', by: 'CHANNEL' });
    expect(r).toMatchObject({ baseLeads: 4, leads: 0, baseRate: 0.25, rate: null, change: null, mixEffect: null, rateEffect: null });
    expect(r.rows.map((x) => [x.key, x.share, x.rate, x.mixEffect, x.rateEffect])).toEqual([
      ['organic', null, null, null, null],
      ['paid', null, null, null, null],
    ]);
    expect(r.steps.map((s) => s.logChange)).toEqual([null, null, null]);
  });

  it('counts the target only within the window', () => {
    const r = conversionChangeReport(fixture(), { ...PERIODS, anchor: 'CAPTURED', target: 'SQL', windowDays: 0, by: 'CHANNEL' });
    expect([r.baseRate, r.rate]).toEqual([0, 0]);
  });
});

describe('conversionChangeReport properties over generated streams', () => {
  const input = fc.record({
    seed: fc.integer({ min: 1, max: 1_000_000 }),
    leads: fc.integer({ min: 0, max: 50 }),
    by: fc.constantFrom(...DIMENSIONS),
    anchor: fc.constantFrom(...FUNNEL_STAGES),
    target: fc.constantFrom(...FUNNEL_STAGES),
    windowDays: fc.option(fc.constantFrom(0, 2, 30), { nil: undefined }),
  });
  const periods = { baseFrom: '2026-01-01T00:00:00.000Z', baseTo: '2026-01-30T00:00:00.000Z', from: '2026-01-30T00:00:00.000Z', to: '2026-03-15T00:00:00.000Z' };

  it('mix + rate = change, shares sum to 1, counts sum to the totals, Σ logChange = ln(R/R′)', () => {
    fc.assert(
      fc.property(input, ({ seed, leads, ...q }) => {
        const r = conversionChangeReport(generateFunnelEvents({ leads, seed }), { ...periods, ...q });
        expect(r.rows.reduce((n, x) => n + x.baseLeads, 0)).toBe(r.baseLeads);
        expect(r.rows.reduce((n, x) => n + x.leads, 0)).toBe(r.leads);
        if (r.change === null) {
          expect(r.baseLeads === 0 || r.leads === 0).toBe(true);
          expect(r.rows.every((x) => x.mixEffect === null && x.rateEffect === null)).toBe(true);
          return;
        }
        expect((r.mixEffect as number) + (r.rateEffect as number)).toBeCloseTo(r.change, 10);
        expect(r.rows.reduce((s, x) => s + (x.share as number), 0)).toBeCloseTo(1, 10);
        const logs = r.steps.map((s) => s.logChange);
        if (r.steps.length > 0 && logs.every((l) => l !== null) && r.rate && r.baseRate) {
          expect(logs.reduce((s, l) => s + (l as number), 0)).toBeCloseTo(Math.log(r.rate / r.baseRate), 10);
        }
      }),
    );
  });
});
