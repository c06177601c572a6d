import {
  businessEvents,
  isDefinitionEvent,
  subjectOf,
  type CampaignEvent,
  type DefinitionEvent,
  type FunnelEvent,
  type LeadEvent,
  type LogEvent,
  type OpportunityEvent,
} from '@funnel/contracts';
import {
  compareStamps,
  foldDefinitions,
  evolveCampaign,
  evolveLead,
  evolveOpportunity,
  type CampaignState,
  type LeadState,
  type OpportunityState,
} from '@funnel/domain';
import type { LogRecord } from '@funnel/event-log';
import type { DataSource, EntityManager } from 'typeorm';
import type { Projection } from '../projection';
import { campaignRow, leadRow, opportunityRow } from './postgres-rows';

type ColumnTypes = readonly (readonly [string, string])[];

const LEAD_COLUMNS: ColumnTypes = [
  ['lead_id', 'text'], ['account_id', 'text'], ['first_seen_at', 'timestamptz'], ['captured_at', 'timestamptz'],
  ['source_campaign_id', 'text'], ['capture_channel', 'text'], ['first_touch_channel', 'text'],
  ['segment', 'text'], ['region', 'text'], ['product', 'text'], ['industry', 'text'], ['company_size', 'text'],
  ['mql_at', 'timestamptz'], ['sal_at', 'timestamptz'], ['sql_at', 'timestamptz'], ['current_stage', 'text'],
  ['score', 'double precision'], ['budget', 'boolean'], ['authority', 'boolean'], ['need', 'boolean'],
  ['timeline_days', 'integer'], ['owner_id', 'text'], ['first_activity_at', 'timestamptz'],
  ['last_activity_at', 'timestamptz'], ['disposition', 'text'], ['dispositioned_at', 'timestamptz'],
  ['recycled_at', 'timestamptz'], ['state', 'jsonb'],
];

const OPPORTUNITY_COLUMNS: ColumnTypes = [
  ['opportunity_id', 'text'], ['account_id', 'text'], ['owner_id', 'text'], ['created_at', 'timestamptz'],
  ['creation_amount', 'double precision'], ['stage', 'text'], ['stage_changed_at', 'timestamptz'],
  ['amount', 'double precision'], ['status', 'text'], ['status_changed_at', 'timestamptz'], ['lost_reason', 'text'],
  ['won_at', 'timestamptz'], ['won_amount', 'double precision'], ['next_step', 'text'],
  ['next_step_due_at', 'timestamptz'], ['next_step_set_at', 'timestamptz'], ['stall_reason', 'text'],
  ['stall_resume_by', 'timestamptz'], ['state', 'jsonb'],
];

const CAMPAIGN_COLUMNS: ColumnTypes = [
  ['campaign_id', 'text'], ['name', 'text'], ['channel', 'text'], ['budget', 'double precision'],
  ['launched_at', 'timestamptz'], ['state', 'jsonb'],
];

/**
 * Set-based multi-row upsert: the rows travel as one jsonb parameter and are typed by
 * jsonb_to_recordset, so a batch of thousands is one statement, not thousands of round trips.
 */
async function upsertRows(em: EntityManager, table: string, columns: ColumnTypes, rows: readonly object[]) {
  if (rows.length === 0) return;
  const names = columns.map(([n]) => n);
  const [key, ...rest] = names;
  await em.query(
    `INSERT INTO ${table} (${names.join(', ')})
     SELECT ${names.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS x(${columns.map(([n, t]) => `${n} ${t}`).join(', ')})
     ON CONFLICT (${key}) DO UPDATE SET ${rest.map((n) => `${n} = excluded.${n}`).join(', ')}, updated_at = now()`,
    [JSON.stringify(rows)],
  );
}

/**
 * Loads the stored state of each subject, folds the batch's events into it and writes it back.
 * Because every state field is an earliest/latest choice by (occurredAt, eventId), the fold is
 * order-independent and idempotent: redelivered or shuffled events give the same rows.
 *
 * Two projector processes can hold the same subject for a moment (a rebalance, a frozen
 * process). A transaction-scoped advisory lock per subject, taken in key order so they cannot
 * deadlock, serialises them even for a subject that has no row yet (which FOR UPDATE could
 * not lock), so neither overwrites the other's newer state.
 */
async function mergeSubjects<E extends FunnelEvent, S>(
  em: EntityManager,
  table: string,
  columns: ColumnTypes,
  events: readonly E[],
  evolve: (state: S | undefined, event: E) => S,
  toRow: (state: S) => object,
) {
  if (events.length === 0) return;
  const key = columns[0][0];
  const ids = [...new Set(events.map((e) => subjectOf(e).id))].sort();
  await em.query(
    `SELECT pg_advisory_xact_lock(hashtextextended($1 || ':' || id, 0)) FROM unnest($2::text[]) AS id ORDER BY id`,
    [table, ids],
  );
  const stored: { id: string; state: S }[] = await em.query(`SELECT ${key} AS id, state FROM ${table} WHERE ${key} = ANY($1::text[])`, [ids]);
  const states = new Map(stored.map((r) => [r.id, r.state]));
  for (const e of events) states.set(subjectOf(e).id, evolve(states.get(subjectOf(e).id), e));
  await upsertRows(em, table, columns, [...states.values()].map(toRow));
}

interface LinkRow {
  lead_id: string;
  opportunity_id: string;
  linked_at: string;
  link_event_id: string;
}

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

async function refreshDefinitions(em: EntityManager) {
  // One refresh at a time, whichever projector process runs it.
  await em.query(`SELECT pg_advisory_xact_lock(hashtextextended('funnel_definition_registry', 0))`);
  const rows: { event: DefinitionEvent }[] = await em.query(`SELECT event FROM subject_events WHERE subject_kind = 'definition'`);
  const registry = foldDefinitions(rows.map((r) => r.event));
  await em.query(`DELETE FROM funnel_definition_versions`);
  await em.query(`DELETE FROM funnel_definition_drafts`);
  await em.query(
    `INSERT INTO funnel_definition_versions (version, definition) SELECT (d->>'version')::int, d FROM jsonb_array_elements($1::jsonb) AS d`,
    [JSON.stringify(registry.published)],
  );
  await em.query(
    `INSERT INTO funnel_definition_drafts (draft_id, draft) SELECT d->>'id', d FROM jsonb_array_elements($1::jsonb) AS d`,
    [JSON.stringify([...registry.drafts.values()])],
  );
}

export class PostgresProjection implements Projection {
  readonly name = 'postgres' as const;

  constructor(private readonly ds: DataSource) {}

  async apply(records: readonly LogRecord[]): Promise<void> {
    const all: LogEvent[] = records.map((r) => r.event);
    const events = businessEvents(all);
    const leads = events.filter((e): e is LeadEvent => subjectOf(e).kind === 'lead');
    const opportunities = events.filter((e): e is OpportunityEvent => subjectOf(e).kind === 'opportunity');
    const campaigns = events.filter((e): e is CampaignEvent => subjectOf(e).kind === 'campaign');
    const costs = campaigns.flatMap((e) =>
      e.type === 'CampaignCostRecorded'
        ? [{
            event_id: e.id,
            campaign_id: e.data.campaignId,
            amount: e.data.amount,
            period_start: e.data.periodStart,
            period_end: e.data.periodEnd,
            recorded_at: e.occurredAt,
          }]
        : [],
    );

    await this.ds.transaction(async (em) => {
      await mergeSubjects<LeadEvent, LeadState>(em, 'leads', LEAD_COLUMNS, leads, evolveLead, leadRow);
      await mergeSubjects<OpportunityEvent, OpportunityState>(
        em, 'opportunities', OPPORTUNITY_COLUMNS, opportunities, evolveOpportunity, opportunityRow,
      );
      await mergeSubjects<CampaignEvent, CampaignState>(em, 'campaigns', CAMPAIGN_COLUMNS, campaigns, evolveCampaign, campaignRow);
      const links = linksOf(events);
      if (links.length > 0) {
        await em.query(
          `INSERT INTO lead_opportunity_links (lead_id, opportunity_id, linked_at, link_event_id)
           SELECT lead_id, opportunity_id, linked_at, link_event_id
             FROM jsonb_to_recordset($1::jsonb) AS x(lead_id text, opportunity_id text, linked_at timestamptz, link_event_id text)
           ON CONFLICT (lead_id, opportunity_id) DO UPDATE
             SET linked_at = excluded.linked_at, link_event_id = excluded.link_event_id
           WHERE (excluded.linked_at, excluded.link_event_id) < (lead_opportunity_links.linked_at, lead_opportunity_links.link_event_id)`,
          [JSON.stringify(links)],
        );
      }
      await em.query(
        `INSERT INTO subject_events (event_id, subject_kind, subject_id, type, occurred_at, event)
         SELECT event_id, subject_kind, subject_id, type, occurred_at, event
           FROM jsonb_to_recordset($1::jsonb)
             AS x(event_id text, subject_kind text, subject_id text, type text, occurred_at timestamptz, event jsonb)
         ON CONFLICT (event_id) DO NOTHING`,
        [JSON.stringify(all.map((e) => ({ event_id: e.id, subject_kind: subjectOf(e).kind, subject_id: subjectOf(e).id, type: e.type, occurred_at: e.occurredAt, event: e })))],
      );
      // The definition registry is a fold of its (few) events, recomputed whenever one arrives.
      if (all.some(isDefinitionEvent)) await refreshDefinitions(em);
      if (costs.length > 0) {
        await em.query(
          `INSERT INTO campaign_costs (event_id, campaign_id, amount, period_start, period_end, recorded_at)
           SELECT * FROM jsonb_to_recordset($1::jsonb)
             AS x(event_id text, campaign_id text, amount double precision, period_start timestamptz, period_end timestamptz, recorded_at timestamptz)
           ON CONFLICT (event_id) DO NOTHING`,
          [JSON.stringify(costs)],
        );
      }
    });
  }

  async ping(): Promise<void> {
    await this.ds.query('SELECT 1');
  }

  async reset(): Promise<void> {
    await this.ds.query(
      `TRUNCATE leads, opportunities, lead_opportunity_links, campaigns, campaign_costs, subject_events, funnel_definition_versions, funnel_definition_drafts`,
    );
    await this.ds.query(`DELETE FROM dead_letters WHERE projection = 'postgres'`);
  }
}
