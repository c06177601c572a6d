import { ratio } from '@funnel/domain';

/**
 * The cohort report's rows and how bucket counts become them. Production code: the SQL runner and
 * the reference (the test oracle) both import it, and production never imports an oracle.
 */

export interface CohortRow {
  readonly cohort: string;
  readonly size: number;
  readonly converted: number;
  readonly rate: number | null;
  readonly maturity: number;
}

/** Rate and maturity of one non-empty cohort; shared with SQL. */
export function cohortRow(cohort: string, b: { size: number; converted: number; mature: number }): CohortRow {
  return { cohort, size: b.size, converted: b.converted, rate: ratio(b.converted, b.size), maturity: b.mature / b.size };
}
