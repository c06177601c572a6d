import type { FunnelEvent } from '@funnel/contracts';
import {
  DAY_MS,
  buildFunnelModel,
  cohortOf,
  compareKeys,
  ms,
  reachedWithin,
  toInstant,
  type FunnelStage,
  type Grain,
} from '@funnel/domain';
import { cohortRow, type CohortRow } from './cohorts.rows';

export interface CohortOptions {
  readonly from: string;
  readonly to: string;
  readonly grain: Grain;
  readonly target: FunnelStage;
  readonly anchor?: FunnelStage;
  readonly windowDays?: number;
  /** Only measures maturity; the caller supplies "now" (domain code reads no clock). */
  readonly asOf: string;
}

/** DESIGN §4 "Cohorts": one row per non-empty calendar bucket of the anchor reach time. */
export function cohortReport(events: readonly FunnelEvent[], opts: CohortOptions): CohortRow[] {
  const model = buildFunnelModel(events);
  const anchor = opts.anchor ?? 'CAPTURED';
  const asOf = ms(toInstant(opts.asOf));
  const buckets = new Map<string, { size: number; converted: number; mature: number }>();
  for (const { reach } of cohortOf(model, anchor, opts.from, opts.to)) {
    const anchorAt = reach.reachedAt[anchor] as string;
    const label = cohortLabel(anchorAt, opts.grain);
    const b = buckets.get(label) ?? { size: 0, converted: 0, mature: 0 };
    b.size++;
    if (reachedWithin(reach, opts.target, anchor, opts.windowDays)) b.converted++;
    // A lead is mature once its whole window has elapsed: it can no longer convert inside it.
    if (opts.windowDays === undefined || ms(anchorAt) + opts.windowDays * DAY_MS <= asOf) b.mature++;
    buckets.set(label, b);
  }
  // Every label format is zero-padded and most-significant first, so string order is time order.
  return [...buckets]
    .sort(([a], [b]) => compareKeys(a, b))
    .map(([cohort, b]) => cohortRow(cohort, b));
}

/** Calendar bucket of a UTC instant: `YYYY-MM-DD`, ISO week `YYYY-Www`, or `YYYY-MM`. */
export function cohortLabel(iso: string, grain: Grain): string {
  const day = toInstant(iso).slice(0, 10);
  switch (grain) {
    case 'DAY':
      return day;
    case 'MONTH':
      return day.slice(0, 7);
    case 'WEEK': {
      // ISO 8601: weeks start on Monday and belong to the year holding their Thursday.
      const midnight = Date.parse(`${day}T00:00:00.000Z`);
      const mondayBased = (new Date(midnight).getUTCDay() + 6) % 7;
      const thursday = new Date(midnight + (3 - mondayBased) * DAY_MS);
      const year = thursday.getUTCFullYear();
      const dayOfYear = (thursday.getTime() - Date.UTC(year, 0, 1)) / DAY_MS;
      const week = Math.floor(dayOfYear / 7) + 1;
      return `${String(year).padStart(4, '0')}-W${String(week).padStart(2, '0')}`;
    }
  }
}
