import fc from 'fast-check';
import type { FieldError } from '@funnel/contracts';
import { trimToErrorBudget } from './error-budget';

const error = (i: number): FieldError => ({ path: `data.f${i}`, message: `data.f${i} is required` });
const entries = (events: number, errorsEach: number) =>
  Array.from({ length: events }, () => ({ errors: Array.from({ length: errorsEach }, (_, i) => error(i)) }));

describe('trimToErrorBudget', () => {
  it('keeps every error while the budget lasts', () => {
    const rejected = entries(10, 4);
    expect(trimToErrorBudget(rejected, 1_000_000)).toBe(0);
    expect(rejected.every((r) => r.errors.length === 4)).toBe(true);
  });

  it('past the budget keeps the first error of each later event, so every event is still reported', () => {
    const rejected = entries(1000, 4);
    const cut = trimToErrorBudget(rejected, 2_000);
    expect(cut).toBeGreaterThan(900);
    expect(rejected.every((r) => r.errors.length >= 1 && r.errors[0].path === 'data.f0')).toBe(true);
    expect(rejected.filter((r) => r.errors.length === 1)).toHaveLength(cut);
  });

  it('spends at most the budget plus one first error per event', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 50_000 }), (events, each, budget) => {
        const rejected = entries(events, each);
        trimToErrorBudget(rejected, budget);
        const bytes = rejected.reduce((sum, r) => sum + Buffer.byteLength(JSON.stringify(r.errors)), 0);
        const oneEach = events * Buffer.byteLength(JSON.stringify([error(0)]));
        expect(bytes).toBeLessThanOrEqual(budget + oneEach + Buffer.byteLength(JSON.stringify(entries(1, each)[0].errors)));
      }),
    );
  });
});
