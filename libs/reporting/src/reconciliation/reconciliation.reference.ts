import type { FunnelEvent } from '@funnel/contracts';
import {
  buildFunnelModel,
  cohortOf,
  createdOf,
  groupByKey,
  statusEventAt,
  statusOf,
  type CohortLead,
  type Dimension,
  type FunnelModel,
  type OpportunityStatus,
} from '@funnel/domain';
import { RECONCILIATION_BUCKETS, reconciliationRow, type ReconciliationBucket, type ReconciliationRow } from './reconciliation.rows';

export interface ReconciliationOptions {
  readonly from: string;
  readonly to: string;
  readonly breakdown?: Dimension;
}

// Sorts after every ISO-8601 instant: "as of the end of the log".
const END_OF_LOG = '\uffff';

/** DESIGN §4 "Reconciliation": each MQL of the period in exactly one bucket by its current state. */
export function reconciliationReport(events: readonly FunnelEvent[], opts: ReconciliationOptions): ReconciliationRow[] {
  const model = buildFunnelModel(events);
  const cohort = cohortOf(model, 'MQL', opts.from, opts.to);
  return groupByKey(model, cohort, opts.breakdown).map(([key, leads]) => {
    const leadIds = Object.fromEntries(RECONCILIATION_BUCKETS.map((b) => [b, [] as string[]])) as Record<ReconciliationBucket, string[]>;
    // cohortOf returns leads in id order, so each list comes out sorted.
    for (const c of leads) leadIds[reconciliationBucket(model, c)].push(c.lead.leadId);
    const counts = Object.fromEntries(RECONCILIATION_BUCKETS.map((b) => [b, leadIds[b].length])) as Record<ReconciliationBucket, number>;
    return reconciliationRow(key, counts, leadIds);
  });
}

/** The bucket of one lead by its current state: statuses by the latest won/lost/reopened event in the whole log. */
export function reconciliationBucket(model: FunnelModel, { lead, reach }: CohortLead): ReconciliationBucket {
  const statuses: OpportunityStatus[] = [];
  for (const opportunityId of lead.opportunityIds) {
    const o = model.opportunities.get(opportunityId);
    // A link to an opportunity that was never created does not count.
    if (o && createdOf(o)) statuses.push(statusOf(statusEventAt(o, END_OF_LOG)));
  }
  if (statuses.includes('won')) return 'WON';
  if (statuses.includes('lost')) return 'LOST';
  if (statuses.length > 0) return 'OPPORTUNITY_OPEN';
  if (reach.reachedAt.SQL !== undefined) return 'QUALIFIED_NO_OPPORTUNITY';
  if (lead.events.some((e) => e.type === 'LeadDispositioned')) return 'REJECTED';
  if (reach.reachedAt.SAL !== undefined) return 'ACCEPTED_NOT_QUALIFIED';
  return 'NEVER_ACCEPTED';
}
