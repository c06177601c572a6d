/**
 * The reconciliation buckets, the report's rows and how bucket counts become them. Production
 * code: the SQL runner and the reference (the test oracle) both import it, and production never
 * imports an oracle.
 */

/** In match order: a lead falls into the first bucket whose rule holds. */
export const RECONCILIATION_BUCKETS = [
  'WON',
  'LOST',
  'OPPORTUNITY_OPEN',
  'QUALIFIED_NO_OPPORTUNITY',
  'REJECTED',
  'ACCEPTED_NOT_QUALIFIED',
  'NEVER_ACCEPTED',
] as const;
export type ReconciliationBucket = (typeof RECONCILIATION_BUCKETS)[number];

export interface ReconciliationRow {
  readonly key: string | null;
  readonly mqls: number;
  readonly won: number;
  readonly lost: number;
  readonly opportunityOpen: number;
  readonly qualifiedNoOpportunity: number;
  readonly rejected: number;
  readonly acceptedNotQualified: number;
  readonly neverAccepted: number;
  /** Lead ids per bucket, sorted. */
  readonly leadIds: Record<ReconciliationBucket, string[]>;
}

/** A row from bucket counts; the buckets partition the MQLs. Shared with SQL. */
export function reconciliationRow(
  key: string | null,
  counts: Record<ReconciliationBucket, number>,
  leadIds: Record<ReconciliationBucket, string[]>,
): ReconciliationRow {
  return {
    key,
    mqls: RECONCILIATION_BUCKETS.reduce((n, b) => n + counts[b], 0),
    won: counts.WON,
    lost: counts.LOST,
    opportunityOpen: counts.OPPORTUNITY_OPEN,
    qualifiedNoOpportunity: counts.QUALIFIED_NO_OPPORTUNITY,
    rejected: counts.REJECTED,
    acceptedNotQualified: counts.ACCEPTED_NOT_QUALIFIED,
    neverAccepted: counts.NEVER_ACCEPTED,
    leadIds,
  };
}
