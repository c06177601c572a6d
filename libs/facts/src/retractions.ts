import type { ClickHouse } from '@funnel/clickhouse';
import { isRetractionEvent, type LogEvent } from '@funnel/contracts';
import { FACT_TABLES, LEAD_EVENT_FACTS } from './fact-tables';

/** Migration 003: the ids of retracted events. Emptied with the facts. */
export const RETRACTED_EVENTS_TABLE = 'retracted_events';

/** A mutation that has finished on every replica when the statement returns. */
const SYNC = 'SETTINGS mutations_sync = 2';

/**
 * Records the batch's retractions and returns the batch without every retracted event (retracted
 * earlier, or later in this batch), so a replay and a redelivery both leave it out of the facts.
 */
export async function withoutRetracted(ch: ClickHouse, events: readonly LogEvent[]): Promise<LogEvent[]> {
  const retractions = events.filter(isRetractionEvent);
  if (retractions.length > 0) await ch.insert(RETRACTED_EVENTS_TABLE, retractions.map((r) => ({ event_id: r.data.eventId, retraction_id: r.id })));
  const rows = await ch.query<{ event_id: string }>(
    `SELECT DISTINCT event_id FROM ${RETRACTED_EVENTS_TABLE} WHERE event_id IN {ids:Array(String)}`,
    { ids: events.map((e) => e.id) },
  );
  const retracted = new Set(rows.map((r) => r.event_id));
  return retracted.size === 0 ? [...events] : events.filter((e) => !retracted.has(e.id));
}

/**
 * Takes the facts of events already projected and retracted since out of every fact table, and
 * rebuilds the state of their leads and opportunities. The state tables are fed by materialized
 * views on insert (migration 002), so deleting a fact leaves its mark there: the subjects' state
 * rows are deleted and their remaining facts inserted again, which the views fold into fresh
 * state (the facts' copies are absorbed: every read deduplicates by event id).
 */
export async function applyRetractions(ch: ClickHouse, events: readonly LogEvent[]): Promise<void> {
  const ids = events.filter(isRetractionEvent).map((r) => r.data.eventId);
  if (ids.length === 0) return;
  const leadTables = [...new Set(LEAD_EVENT_FACTS.map((f) => f.table))];
  const leads = new Set<string>();
  for (const table of leadTables) {
    for (const r of await ch.query<{ lead_id: string }>(`SELECT DISTINCT lead_id FROM ${table} WHERE event_id IN {ids:Array(String)}`, { ids })) leads.add(r.lead_id);
  }
  const opportunities = (await ch.query<{ opportunity_id: string }>(
    `SELECT DISTINCT opportunity_id FROM opportunity_events WHERE event_id IN {ids:Array(String)}`,
    { ids },
  )).map((r) => r.opportunity_id);
  for (const table of FACT_TABLES) await ch.command(`ALTER TABLE ${table} DELETE WHERE event_id IN {ids:Array(String)} ${SYNC}`, { ids });
  if (leads.size > 0) {
    const leadIds = [...leads];
    await ch.command(`ALTER TABLE lead_state DELETE WHERE lead_id IN {ids:Array(String)} ${SYNC}`, { ids: leadIds });
    for (const table of leadTables) await ch.command(`INSERT INTO ${table} SELECT * FROM ${table} FINAL WHERE lead_id IN {ids:Array(String)}`, { ids: leadIds });
  }
  if (opportunities.length > 0) {
    await ch.command(`ALTER TABLE opportunity_state DELETE WHERE opportunity_id IN {ids:Array(String)} ${SYNC}`, { ids: opportunities });
    await ch.command(`INSERT INTO opportunity_events SELECT * FROM opportunity_events FINAL WHERE opportunity_id IN {ids:Array(String)}`, { ids: opportunities });
  }
}
