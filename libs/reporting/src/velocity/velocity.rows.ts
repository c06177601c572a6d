/**
 * The velocity report's row. Production code: the SQL runner and the reference (the test oracle)
 * both import it, and production never imports an oracle.
 */

export interface VelocityRow {
  readonly key: string | null;
  readonly count: number;
  readonly meanDays: number | null;
  readonly p50Days: number | null;
  readonly p90Days: number | null;
}
