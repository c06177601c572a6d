import { compareStamps, evolveLead, LEAD_CHANNEL_RULE, type SourceOrigin } from '@funnel/domain';
import { subjectOf, type FunnelEvent, type LeadEvent } from '@funnel/contracts';
import { truncateTables, type ReadModel } from '../read-model';
import { LEADS } from './leads.table';

interface LinkRow {
  lead_id: string;
  opportunity_id: string;
  linked_at: string;
  link_event_id: string;
}

/** Each (lead, opportunity) link of the batch at its earliest linking event (LeadConverted or OpportunityCreated.leadIds). */
function linksOf(events: readonly FunnelEvent[]): LinkRow[] {
  const byPair = new Map<string, LinkRow>();
  const add = (leadId: string, opportunityId: string, e: FunnelEvent) => {
    const row = { lead_id: leadId, opportunity_id: opportunityId, linked_at: e.occurredAt, link_event_id: e.id };
    const k = JSON.stringify([leadId, opportunityId]);
    const prev = byPair.get(k);
    const earlier =
      !prev || compareStamps({ at: row.linked_at, id: row.link_event_id }, { at: prev.linked_at, id: prev.link_event_id }) < 0;
    if (earlier) byPair.set(k, row);
  };
  for (const e of events) {
    if (e.type === 'LeadConverted') add(e.data.leadId, e.data.opportunityId, e);
    if (e.type === 'OpportunityCreated') for (const leadId of e.data.leadIds ?? []) add(leadId, e.data.opportunityId, e);
  }
  return [...byPair.values()];
}

/**
 * Where the `lead_funnel` view (migration 1700000000000) reads each origin of the CHANNEL rule:
 * the campaign's channel needs a join across subjects, so the view, not the lead's fold, applies
 * the rule. A stored view cannot import the rule, so a test holds the two together: changing
 * LEAD_CHANNEL_RULE fails it until a new migration replaces the view.
 */
const LEAD_FUNNEL_CHANNEL_SOURCES: Partial<Record<SourceOrigin, string>> = {
  capture: 'l.capture_channel',
  sourceCampaign: 'c.channel',
  firstTouch: 'l.first_touch_channel',
};

/** The `lead_funnel.channel` expression LEAD_CHANNEL_RULE asks for. */
export const LEAD_FUNNEL_CHANNEL_SQL = `COALESCE(${LEAD_CHANNEL_RULE.map(([origin]) => LEAD_FUNNEL_CHANNEL_SOURCES[origin]).join(', ')})`;

/** `leads` (the fold of each lead's events), its links to opportunities, and the `lead_funnel` view over them. */
export const LEADS_READ_MODEL: ReadModel = {
  name: 'leads',
  tables: { [LEADS.name]: LEADS.key, lead_opportunity_links: 'lead_id, opportunity_id' },
  views: { lead_funnel: 'lead_id' },
  async apply(em, { events }) {
    await LEADS.merge(em, events.filter((e): e is LeadEvent => subjectOf(e).kind === 'lead'), evolveLead);
    const links = linksOf(events);
    if (links.length === 0) return;
    await em.query(
      `INSERT INTO lead_opportunity_links (lead_id, opportunity_id, linked_at, link_event_id)
       SELECT lead_id, opportunity_id, linked_at, link_event_id
         FROM jsonb_to_recordset($1::jsonb) AS x(lead_id text, opportunity_id text, linked_at timestamptz, link_event_id text)
       ON CONFLICT (lead_id, opportunity_id) DO UPDATE
         SET linked_at = excluded.linked_at, link_event_id = excluded.link_event_id
       WHERE (excluded.linked_at, excluded.link_event_id) < (lead_opportunity_links.linked_at, lead_opportunity_links.link_event_id)`,
      [JSON.stringify(links)],
    );
  },
  reset: (em) => truncateTables(em, LEADS_READ_MODEL),
};
