import { ReportInputError } from './report-input.error';

/** ISO instant (UTC, ms) of a DateTime argument, as every store compares times. */
export const iso = (d: Date) => d.toISOString();

/** Validates a half-open period [from, to) and returns it as ISO strings. */
export function period(from: Date, to: Date): { from: string; to: string } {
  if (!(from < to)) throw new ReportInputError('to', `must be after from (${iso(from)}); periods are half-open [from, to)`);
  return { from: iso(from), to: iso(to) };
}

/**
 * The longest span of days an argument may name: 100 years. Longer windows reach past year 1 or
 * 9999 from an ordinary date, where the stores' date arithmetic fails instead of answering.
 */
export const MAX_DAYS = 36_500;

/** A count of days such as windowDays or lookbackDays: 0 to MAX_DAYS. */
export function nonNegative(argument: string, value: number | undefined | null): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Number.isFinite(value) || value < 0 || value > MAX_DAYS) {
    throw new ReportInputError(argument, `must be from 0 to ${MAX_DAYS} days, got ${value}`);
  }
  return value;
}

/**
 * The shortest half-life accepted: about 15 minutes. Below it every weight but the last touch's
 * underflows to 0 (5e-324 made the weights 0/0), which no half-life decay is meant to mean.
 */
export const MIN_HALF_LIFE_DAYS = 0.01;

/** A half-life in days: MIN_HALF_LIFE_DAYS to MAX_DAYS. */
export function halfLifeDays(argument: string, value: number): number {
  if (!Number.isFinite(value) || value < MIN_HALF_LIFE_DAYS || value > MAX_DAYS) {
    throw new ReportInputError(argument, `must be from ${MIN_HALF_LIFE_DAYS} to ${MAX_DAYS} days, got ${value}`);
  }
  return value;
}
