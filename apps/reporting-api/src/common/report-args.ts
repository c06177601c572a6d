import { ReportInputError } from './report-input.error';

/** ISO instant (UTC, ms) of a DateTime argument, as every store compares times. */
export const iso = (d: Date) => d.toISOString();

/** Validates a half-open period [from, to) and returns it as ISO strings. */
export function period(from: Date, to: Date): { from: string; to: string } {
  if (!(from < to)) throw new ReportInputError('to', `must be after from (${iso(from)}); periods are half-open [from, to)`);
  return { from: iso(from), to: iso(to) };
}

export function nonNegative(argument: string, value: number | undefined | null): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Number.isFinite(value) || value < 0) throw new ReportInputError(argument, `must be >= 0, got ${value}`);
  return value;
}

export function positive(argument: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new ReportInputError(argument, `must be > 0, got ${value}`);
  return value;
}
