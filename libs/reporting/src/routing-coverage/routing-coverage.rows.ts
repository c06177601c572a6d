import { ratio } from '@funnel/domain';

/**
 * The routing coverage report's rows (DESIGN §4 "Routing coverage") and how per-key counts become
 * them. Production code: the SQL runner and the reference (the test oracle) both import it.
 */

export interface RoutingRow {
  readonly key: string | null;
  readonly mqls: number;
  readonly assigned: number;
  readonly unassigned: number;
  readonly coverageRate: number | null;
  readonly p50MinutesToAssignment: number | null;
  readonly p90MinutesToAssignment: number | null;
  readonly reassigned: number;
  readonly inFallbackQueue: number;
}

export type RoutingCounts = Omit<RoutingRow, 'key' | 'unassigned' | 'coverageRate'>;

/** Unassigned and the coverage rate from the counts; shared with SQL. */
export function routingRow(key: string | null, c: RoutingCounts): RoutingRow {
  return {
    key,
    mqls: c.mqls,
    assigned: c.assigned,
    unassigned: c.mqls - c.assigned,
    coverageRate: ratio(c.assigned, c.mqls),
    p50MinutesToAssignment: c.p50MinutesToAssignment,
    p90MinutesToAssignment: c.p90MinutesToAssignment,
    reassigned: c.reassigned,
    inFallbackQueue: c.inFallbackQueue,
  };
}

export const EMPTY_ROUTING: RoutingCounts = {
  mqls: 0, assigned: 0, reassigned: 0, inFallbackQueue: 0, p50MinutesToAssignment: null, p90MinutesToAssignment: null,
};
