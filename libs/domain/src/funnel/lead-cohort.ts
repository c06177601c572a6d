import {
  DAY_MS,
  inPeriod,
  leadKey,
  ms,
  stageReach,
  type Dimension,
  type FunnelModel,
  type FunnelStage,
  type LeadFacts,
  type StageReach,
} from './funnel-model';
import { toInstant } from './opportunity-status';

/**
 * Building blocks shared by the lead-based reference metrics (funnel, cohorts, velocity, SLA,
 * reconciliation, lead quality, score calibration): who is in a period's cohort, whether a stage
 * counts inside a window, and how a cohort splits by a breakdown. One place per rule.
 */

/** Plain JS string order (UTF-16 code units), the order every keyed report is sorted in. */
export const compareKeys = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export interface CohortLead {
  readonly lead: LeadFacts;
  readonly reach: StageReach;
}

/** Leads whose reach time of `stage` lies in `[from, to)`, in lead id order. */
export function cohortOf(model: FunnelModel, stage: FunnelStage, from: string, to: string): CohortLead[] {
  // Bounds may arrive as any ISO-8601 form; events are normalised, so normalise before comparing strings.
  const [f, t] = [toInstant(from), toInstant(to)];
  const cohort: CohortLead[] = [];
  for (const lead of model.leads.values()) {
    const reach = stageReach(model, lead);
    if (inPeriod(reach.reachedAt[stage], f, t)) cohort.push({ lead, reach });
  }
  return cohort.sort((a, b) => compareKeys(a.lead.leadId, b.lead.leadId));
}

/**
 * Whether `stage` counts for a lead measured from `anchor`: it must be reached and, with a window
 * of W days, reached at most W days after the anchor. A stage reached before the anchor has a
 * negative distance and so always counts.
 */
export function reachedWithin(reach: StageReach, stage: FunnelStage, anchor: FunnelStage, windowDays?: number): boolean {
  const at = reach.reachedAt[stage];
  if (at === undefined) return false;
  if (windowDays === undefined) return true;
  const anchorAt = reach.reachedAt[anchor];
  // Compared in milliseconds, not float days, so "exactly W days" is not lost to rounding.
  return anchorAt !== undefined && ms(at) - ms(anchorAt) <= windowDays * DAY_MS;
}

/**
 * Splits a cohort by a breakdown. Without one: a single group with key null, even when empty, so
 * totals always have a row. With one: a group per key present, in plain string order.
 */
export function groupByKey(model: FunnelModel, cohort: readonly CohortLead[], breakdown?: Dimension): [string | null, CohortLead[]][] {
  if (breakdown === undefined) return [[null, [...cohort]]];
  const groups = new Map<string, CohortLead[]>();
  for (const c of cohort) {
    const key = leadKey(model, c.lead, breakdown);
    const group = groups.get(key);
    if (group) group.push(c);
    else groups.set(key, [c]);
  }
  return [...groups].sort(([a], [b]) => compareKeys(a, b));
}

/** A ratio that is null, not NaN or Infinity, when there is nothing to divide by. */
export const ratio = (numerator: number, denominator: number): number | null =>
  denominator === 0 ? null : numerator / denominator;

export const mean = (values: readonly number[]): number | null =>
  values.length === 0 ? null : values.reduce((s, v) => s + v, 0) / values.length;

/** How many of these leads reached SQL and WON, at any time (inferred reaches included). */
export function outcomes(leads: readonly CohortLead[]): { count: number; toSql: number; toWon: number } {
  return {
    count: leads.length,
    toSql: leads.filter((c) => c.reach.reachedAt.SQL !== undefined).length,
    toWon: leads.filter((c) => c.reach.reachedAt.WON !== undefined).length,
  };
}
