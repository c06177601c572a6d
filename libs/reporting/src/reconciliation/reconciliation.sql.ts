import type { ClickHouse } from '@funnel/clickhouse';
import type { Dimension } from '@funnel/domain';
import {
  RECONCILIATION_BUCKETS,
  reconciliationRow,
  type ReconciliationBucket,
  type ReconciliationRow,
} from './reconciliation.rows';
import { leadReachCtes, REPORT_SETTINGS } from '../lead-reach.sql';

/**
 * MQLs of [{from}, {to}) (MQL reach, entered or inferred) counted per key and bucket by current
 * state, with their lead ids on request; first match wins in RECONCILIATION_BUCKETS order. Status of an opportunity = its latest
 * won/lost/reopened event in the whole log (none = open); only created opportunities count.
 */
export function reconciliationSql(breakdown: Dimension | undefined, withLeadIds: boolean): string {
  return `WITH ${leadReachCtes(breakdown)},
opp_status AS (
  SELECT opportunity_id,
         argMaxIf(type, (occurred_at, event_id), type IN ('OpportunityWon', 'OpportunityLost', 'OpportunityReopened')) AS last_status
  FROM opportunity_events
  GROUP BY opportunity_id
  HAVING countIf(type = 'OpportunityCreated') > 0
),
lead_status AS (
  SELECT k.lead_id AS lead_id,
         max(s.last_status = 'OpportunityWon') AS any_won,
         max(s.last_status = 'OpportunityLost') AS any_lost
  FROM (SELECT DISTINCT lead_id, opportunity_id FROM lead_links) AS k
  INNER JOIN opp_status AS s ON s.opportunity_id = k.opportunity_id
  GROUP BY k.lead_id
),
rejected AS (SELECT DISTINCT lead_id FROM lead_dispositions WHERE kind = 'dispositioned'),
bucketed AS (
SELECT r.lead_id AS lead_id, r.key AS key,
       multiIf(ls.any_won = 1, 'WON',
               ls.any_lost = 1, 'LOST',
               ls.lead_id IS NOT NULL, 'OPPORTUNITY_OPEN',
               r.r_sql IS NOT NULL, 'QUALIFIED_NO_OPPORTUNITY',
               rj.lead_id IS NOT NULL, 'REJECTED',
               r.r_sal IS NOT NULL, 'ACCEPTED_NOT_QUALIFIED',
               'NEVER_ACCEPTED') AS bucket
FROM reach AS r
LEFT JOIN lead_status AS ls ON ls.lead_id = r.lead_id
LEFT JOIN rejected AS rj ON rj.lead_id = r.lead_id
WHERE r.r_mql >= {from:DateTime64(3, 'UTC')} AND r.r_mql < {to:DateTime64(3, 'UTC')}
)
SELECT key, bucket, count() AS n${withLeadIds ? ', arraySort(groupArray(lead_id)) AS lead_ids' : ''}
FROM bucketed
GROUP BY key, bucket
ORDER BY key, bucket
${REPORT_SETTINGS}`;
}

export interface ReconciliationParams {
  readonly from: string;
  readonly to: string;
  readonly breakdown?: Dimension;
  /** Fetch the lead ids behind each bucket (costly on large periods; off unless asked). */
  readonly withLeadIds: boolean;
}

export async function runReconciliation(ch: ClickHouse, p: ReconciliationParams): Promise<ReconciliationRow[]> {
  const rows = await ch.query<{ key: string | null; bucket: ReconciliationBucket; n: string; lead_ids?: string[] }>(
    reconciliationSql(p.breakdown, p.withLeadIds),
    { from: p.from, to: p.to },
  );
  const empty = <T>(v: () => T) => Object.fromEntries(RECONCILIATION_BUCKETS.map((b) => [b, v()])) as Record<ReconciliationBucket, T>;
  const byKey = new Map<string | null, { counts: Record<ReconciliationBucket, number>; ids: Record<ReconciliationBucket, string[]> }>();
  for (const r of rows) {
    const g = byKey.get(r.key) ?? { counts: empty(() => 0), ids: empty((): string[] => []) };
    g.counts[r.bucket] = Number(r.n);
    g.ids[r.bucket] = r.lead_ids ?? [];
    byKey.set(r.key, g);
  }
  if (p.breakdown === undefined && byKey.size === 0) byKey.set(null, { counts: empty(() => 0), ids: empty((): string[] => []) });
  return [...byKey].map(([key, g]) => reconciliationRow(key, g.counts, g.ids));
}
