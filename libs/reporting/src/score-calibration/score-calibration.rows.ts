import { NONE_KEY, ratio, type outcomes } from '@funnel/domain';

/**
 * The score-calibration rows: bands, rates and Wilson intervals from per-band outcomes.
 * Production code: the SQL runner and the reference (the test oracle) both import it, and
 * production never imports an oracle.
 */

/** Two-sided 95%: the 0.975 quantile of the standard normal distribution. */
export const WILSON_Z_95 = 1.959963984540054;
const MAX_SCORE = 100;

export interface ScoreBandRow {
  /** `lower-upper` ("0-19", "80-100"), or "(none)" for MQLs never scored before they became MQL. */
  readonly band: string;
  readonly lower: number | null;
  readonly upper: number | null;
  readonly leads: number;
  readonly toSql: number;
  readonly toWon: number;
  readonly sqlRate: number | null;
  readonly sqlRateLow: number | null;
  readonly sqlRateHigh: number | null;
  readonly wonRate: number | null;
  readonly wonRateLow: number | null;
  readonly wonRateHigh: number | null;
}

/** Every band in order, then "(none)" when non-empty; shared with SQL. */
export function scoreBandRows(bands: readonly number[], banded: readonly Outcomes[], unscored: Outcomes): ScoreBandRow[] {
  const rows = bands.map((lower, i) => {
    const upper = i + 1 < bands.length ? bands[i + 1] - 1 : MAX_SCORE;
    return bandRow(`${lower}-${upper}`, lower, upper, banded[i]);
  });
  if (unscored.count > 0) rows.push(bandRow(NONE_KEY, null, null, unscored));
  return rows;
}

type Outcomes = ReturnType<typeof outcomes>;

/** Rates and Wilson intervals of one band; shared with SQL. */
export function bandRow(band: string, lower: number | null, upper: number | null, { count, toSql, toWon }: Outcomes): ScoreBandRow {
  const sql = wilsonInterval(toSql, count);
  const won = wilsonInterval(toWon, count);
  return {
    band, lower, upper, leads: count, toSql, toWon,
    sqlRate: ratio(toSql, count), sqlRateLow: sql?.low ?? null, sqlRateHigh: sql?.high ?? null,
    wonRate: ratio(toWon, count), wonRateLow: won?.low ?? null, wonRateHigh: won?.high ?? null,
  };
}

/** Wilson score interval for `successes` out of `n`; undefined when n = 0. */
export function wilsonInterval(successes: number, n: number, z = WILSON_Z_95): { low: number; high: number } | undefined {
  if (n === 0) return undefined;
  const p = successes / n;
  const z2n = (z * z) / n;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z / (1 + z2n)) * Math.sqrt(p * (1 - p) / n + (z * z) / (4 * n * n));
  // At 0 or n successes the bound is exactly 0 or 1; floating point would land a hair off it.
  return { low: successes === 0 ? 0 : centre - half, high: successes === n ? 1 : centre + half };
}
