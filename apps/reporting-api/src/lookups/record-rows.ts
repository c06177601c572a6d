import { LEADS, OPPORTUNITIES } from '@funnel/read-model';
import type { Lead, Opportunity } from './lookups.model';

/** Explicit stage entries of lead_funnel, in the unified order. */
export const STAGE_COLUMNS = [
  ['CAPTURED', 'captured_at'], ['MQL', 'mql_at'], ['SAL', 'sal_at'], ['SQL', 'sql_at'],
  ['OPPORTUNITY', 'opportunity_at'], ['WON', 'won_at'],
] as const;

/**
 * What a Lead record reads, given `leads l JOIN lead_funnel f`: the declared columns plus the
 * lead's CHANNEL as reports key it and its links. The one mapping of lookups and record lists.
 */
export const LEAD_RECORD_SELECT = `${LEADS.select('l')}, f.channel AS resolved_channel, f.opportunity_at, f.won_at,
  ARRAY(SELECT opportunity_id FROM lead_opportunity_links k WHERE k.lead_id = l.lead_id ORDER BY 1) AS opportunity_ids`;

export function leadRecordOf(row: any): Lead {
  return {
    ...LEADS.fieldsOf(row),
    id: row.lead_id,
    // The lead's CHANNEL as reports key it (capture, else source campaign, else first touch), not the capture's own.
    channel: row.resolved_channel,
    stageEntries: STAGE_COLUMNS.filter(([, c]) => row[c]).map(([stage, c]) => ({ stage, enteredAt: row[c] })),
    opportunityIds: row.opportunity_ids,
  };
}

/** What an Opportunity record reads from `opportunities <alias>`: the declared columns and its leads. */
export function opportunityRecordSelect(alias: string): string {
  return `${OPPORTUNITIES.select(alias)},
    ARRAY(SELECT lead_id FROM lead_opportunity_links k WHERE k.opportunity_id = ${alias}.opportunity_id ORDER BY 1) AS lead_ids`;
}

export function opportunityRecordOf(row: any): Opportunity {
  return { ...OPPORTUNITIES.fieldsOf(row), id: row.opportunity_id, leadIds: row.lead_ids };
}
