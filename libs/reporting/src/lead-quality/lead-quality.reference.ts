import type { FunnelEvent } from '@funnel/contracts';
import {
  buildFunnelModel,
  cohortOf,
  groupByKey,
  outcomes,
  ratio,
  slaClock,
  toInstant,
  type Dimension,
} from '@funnel/domain';

export interface LeadQualityOptions {
  readonly from: string;
  readonly to: string;
  /** When the SLA clocks are read; default `to`, the end of the period. */
  readonly asOf?: string;
  readonly speedToLeadMinutes: number;
  readonly breakdown?: Dimension;
}

export interface LeadQualityRow {
  readonly key: string | null;
  readonly metCount: number;
  readonly metToSql: number;
  readonly metToWon: number;
  readonly metSqlRate: number | null;
  readonly metWonRate: number | null;
  readonly breachedCount: number;
  readonly breachedToSql: number;
  readonly breachedToWon: number;
  readonly breachedSqlRate: number | null;
  readonly breachedWonRate: number | null;
}

/**
 * Does fast follow-up pay? The period's MQLs (the SLA cohort) split by SLA outcome, and how each
 * side went on to reach SQL and WON at any time. Pending clocks have no outcome yet and are left out.
 */
export function leadQualityVsHandling(events: readonly FunnelEvent[], opts: LeadQualityOptions): LeadQualityRow[] {
  const model = buildFunnelModel(events);
  const asOf = toInstant(opts.asOf ?? opts.to);
  const cohort = cohortOf(model, 'MQL', opts.from, opts.to);
  return groupByKey(model, cohort, opts.breakdown).map(([key, leads]) => {
    const status = new Map(leads.map((c) => [c, slaClock(c, asOf, opts.speedToLeadMinutes).status]));
    return leadQualityRow(
      key,
      outcomes(leads.filter((c) => status.get(c) === 'MET')),
      outcomes(leads.filter((c) => status.get(c) === 'BREACHED')),
    );
  });
}

type Outcomes = ReturnType<typeof outcomes>;

/** Rates of the met and breached groups; shared with SQL. */
export function leadQualityRow(key: string | null, met: Outcomes, breached: Outcomes): LeadQualityRow {
  return {
      key,
      metCount: met.count,
      metToSql: met.toSql,
      metToWon: met.toWon,
      metSqlRate: ratio(met.toSql, met.count),
      metWonRate: ratio(met.toWon, met.count),
      breachedCount: breached.count,
      breachedToSql: breached.toSql,
      breachedToWon: breached.toWon,
      breachedSqlRate: ratio(breached.toSql, breached.count),
      breachedWonRate: ratio(breached.toWon, breached.count),
  };
}
