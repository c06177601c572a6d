import { ratio, type outcomes } from '@funnel/domain';

/**
 * The lead-quality report's rows and how met/breached outcomes become them. Production code: the
 * SQL runner and the reference (the test oracle) both import it, and production never imports an
 * oracle.
 */

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
