import type { FunnelEvent } from '@funnel/contracts';
import {
  DEFAULT_SCORE_BANDS,
  NONE_KEY,
  buildFunnelModel,
  checkScoreBands,
  cohortOf,
  outcomes,
  ratio,
  type CohortLead,
} from '@funnel/domain';

/** Two-sided 95%: the 0.975 quantile of the standard normal distribution. */
export const WILSON_Z_95 = 1.959963984540054;
const MAX_SCORE = 100;

export interface ScoreCalibrationOptions {
  readonly from: string;
  readonly to: string;
  /** Strictly ascending lower bounds of the score bands. */
  readonly bands?: readonly number[];
}

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

/**
 * Does the MQL score predict outcomes? The period's MQLs, banded by their score at MQL entry (the
 * latest LeadScored at or before the MQL reach time), with each band's SQL and WON rates and 95%
 * Wilson intervals, which stay inside [0, 1] and are honest for the small bands calibration has.
 * Every band is listed, empty ones with null rates; "(none)" comes last and only when non-empty.
 * A score below the first lower bound belongs to no band: choosing bands that start above 0 opts out.
 */
export function scoreCalibration(events: readonly FunnelEvent[], opts: ScoreCalibrationOptions): ScoreBandRow[] {
  const bands = opts.bands ?? DEFAULT_SCORE_BANDS;
  checkScoreBands(bands);
  const model = buildFunnelModel(events);
  const members: CohortLead[][] = bands.map(() => []);
  const unscored: CohortLead[] = [];
  for (const c of cohortOf(model, 'MQL', opts.from, opts.to)) {
    const score = scoreAtMql(c);
    if (score === undefined) unscored.push(c);
    else {
      // lower <= score < next lower: the last band whose lower bound is <= score.
      let i = bands.length - 1;
      while (i >= 0 && bands[i] > score) i--;
      if (i >= 0) members[i].push(c);
    }
  }
  return scoreBandRows(bands, members.map(outcomes), outcomes(unscored));
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

/** The latest LeadScored at or before the lead's MQL reach time (entered or inferred). */
export function scoreAtMql({ lead, reach }: CohortLead): number | undefined {
  const mqlAt = reach.reachedAt.MQL;
  let score: number | undefined;
  for (const e of lead.events) {
    if (mqlAt === undefined || e.occurredAt > mqlAt) break;
    if (e.type === 'LeadScored') score = e.data.score;
  }
  return score;
}

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
