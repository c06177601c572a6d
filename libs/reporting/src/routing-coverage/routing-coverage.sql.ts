import type { ClickHouse } from '@funnel/clickhouse';
import type { Dimension, RoutingLeadList } from '@funnel/domain';
import { leadReachCtes, millis, REPORT_SETTINGS } from '../lead-reach.sql';
import { EMPTY_ROUTING, routingRow, type RoutingRow } from './routing-coverage.rows';

const AS_OF = `{asOf:DateTime64(3, 'UTC')}`;

/**
 * CTEs ending in `routing`: one row per lead whose MQL reach (entered or inferred) is in
 * [{from}, {to}), with its assignments at or before {asOf}: how many (distinct event ids, so
 * undeduplicated rows count once), minutes from MQL reach to the first, and whether the latest,
 * by (occurred_at, event_id), is to one of {fallbackQueues}.
 */
function routingCtes(breakdown?: Dimension): string {
  return `WITH ${leadReachCtes(breakdown)},
cohort AS (
  SELECT lead_id, key, r_mql FROM reach
  WHERE r_mql >= {from:DateTime64(3, 'UTC')} AND r_mql < {to:DateTime64(3, 'UTC')}
),
assignments AS (
  -- tuple(): argMax skips rows whose bare argument is NULL, and a NULL queue is a real value here.
  SELECT lead_id, min(occurred_at) AS first_at, uniqExact(event_id) AS n,
         argMax(tuple(queue), (occurred_at, event_id)).1 AS last_queue
  FROM lead_assignments
  WHERE occurred_at <= ${AS_OF} AND lead_id IN (SELECT lead_id FROM cohort)
  GROUP BY lead_id
),
routing AS (
  SELECT c.lead_id AS lead_id, c.key AS key, ifNull(a.n, 0) AS assignments,
         if(a.first_at IS NULL, NULL, (${millis('a.first_at')} - ${millis('c.r_mql')}) / 60000.0) AS minutes,
         a.last_queue IS NOT NULL AND has({fallbackQueues:Array(String)}, assumeNotNull(a.last_queue)) AS in_fallback
  FROM cohort AS c LEFT JOIN assignments AS a ON a.lead_id = c.lead_id
)`;
}

export function routingCoverageSql(breakdown?: Dimension): string {
  return `${routingCtes(breakdown)}
SELECT key, count() AS mqls, countIf(assignments > 0) AS assigned, countIf(assignments >= 2) AS reassigned,
       countIf(in_fallback) AS in_fallback,
       quantileExactInclusiveIf(0.5)(assumeNotNull(minutes), minutes IS NOT NULL) AS p50,
       quantileExactInclusiveIf(0.9)(assumeNotNull(minutes), minutes IS NOT NULL) AS p90
FROM routing
GROUP BY key
ORDER BY key
${REPORT_SETTINGS}`;
}

export interface RoutingParams {
  readonly from: string;
  readonly to: string;
  readonly asOf: string;
  readonly fallbackQueues: readonly string[];
  readonly breakdown?: Dimension;
}

const params = (p: RoutingParams) => ({ from: p.from, to: p.to, asOf: p.asOf, fallbackQueues: [...p.fallbackQueues] });

/** DESIGN §4 Routing coverage; without a breakdown there is always one row, zeros for an empty cohort. */
export async function runRoutingCoverage(ch: ClickHouse, p: RoutingParams): Promise<RoutingRow[]> {
  const rows = await ch.query<{ key: string | null; mqls: string; assigned: string; reassigned: string; in_fallback: string; p50: number; p90: number }>(
    routingCoverageSql(p.breakdown),
    params(p),
  );
  const result = rows.map((r) => {
    const assigned = Number(r.assigned);
    return routingRow(r.key, {
      mqls: Number(r.mqls),
      assigned,
      reassigned: Number(r.reassigned),
      inFallbackQueue: Number(r.in_fallback),
      p50MinutesToAssignment: assigned > 0 ? r.p50 : null,
      p90MinutesToAssignment: assigned > 0 ? r.p90 : null,
    });
  });
  if (p.breakdown === undefined && result.length === 0) return [routingRow(null, EMPTY_ROUTING)];
  return result;
}

const LIST_CONDITION: Record<RoutingLeadList, string> = { UNASSIGNED: 'assignments = 0', IN_FALLBACK_QUEUE: 'in_fallback' };

/** One page of a lead list after {after} (when {hasAfter}), each row carrying the whole list's count. */
export function routingLeadsSql(list: RoutingLeadList, breakdown: Dimension | undefined, byKey: boolean): string {
  const where = [LIST_CONDITION[list], ...(breakdown !== undefined && byKey ? ['key = {key:String}'] : [])];
  return `${routingCtes(breakdown)},
listed AS (SELECT lead_id FROM routing WHERE ${where.join(' AND ')})
SELECT lead_id, (SELECT count() FROM listed) AS total FROM listed
WHERE {hasAfter:UInt8} = 0 OR lead_id > {after:String}
ORDER BY lead_id
LIMIT {limit:UInt32}
${REPORT_SETTINGS}`;
}

export interface RoutingLeadsParams extends RoutingParams {
  readonly list: RoutingLeadList;
  /** One key of the breakdown; all keys when omitted. */
  readonly key?: string;
  readonly limit: number;
  /** The last lead id of the previous page (keyset); none for the first page. */
  readonly after?: string;
}

/** One page of the cohort's lead ids in `list`, in id order, with the list's total count. */
export async function runRoutingLeads(ch: ClickHouse, p: RoutingLeadsParams): Promise<{ totalCount: number; leadIds: string[] }> {
  const rows = await ch.query<{ lead_id: string; total: string }>(routingLeadsSql(p.list, p.breakdown, p.key !== undefined), {
    ...params(p),
    key: p.key ?? '',
    hasAfter: p.after === undefined ? 0 : 1,
    after: p.after ?? '',
    limit: p.limit,
  });
  if (rows.length > 0 || p.after === undefined) return { totalCount: Number(rows[0]?.total ?? 0), leadIds: rows.map((r) => r.lead_id) };
  // A page past the end has no row to carry the total; ask for it alone.
  const { totalCount } = await runRoutingLeads(ch, { ...p, after: undefined, limit: 1 });
  return { totalCount, leadIds: [] };
}
