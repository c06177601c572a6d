import { ratio } from '@funnel/domain';

/**
 * The SLA report's rows and how clock counts become them. Production code: the SQL runner and the
 * reference (the test oracle) both import it, and production never imports an oracle.
 */

export interface SlaRow {
  readonly key: string | null;
  readonly met: number;
  readonly breached: number;
  readonly pending: number;
  readonly complianceRate: number | null;
  readonly neverFollowedUp: number;
  readonly p50MinutesToFirstActivity: number | null;
}

/** Compliance rate from the clock counts; shared with SQL. */
export function slaRow(key: string | null, c: Omit<SlaRow, 'key' | 'complianceRate'>): SlaRow {
  return { key, ...c, complianceRate: ratio(c.met, c.met + c.breached) };
}
