/**
 * The attribution report's shape. Production code: the SQL runner and the reference (the test
 * oracle) both import it, and production never imports an oracle.
 */

export interface AttributionRow {
  readonly key: string;
  readonly credit: number;
  readonly value: number;
}

export interface AttributionReport {
  readonly conversions: number;
  readonly totalValue: number;
  readonly rows: AttributionRow[];
}
