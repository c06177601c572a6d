import { isBusinessEvent, isRetractionEvent, subjectOf, type FunnelEvent, type LogEvent, type SubjectKind } from '@funnel/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { CAMPAIGNS_READ_MODEL } from '../campaigns/campaigns.read-model';
import { LEADS_READ_MODEL } from '../leads/leads.read-model';
import { OPPORTUNITIES_READ_MODEL } from '../opportunities/opportunities.read-model';
import { truncateTables, type ReadModel } from '../read-model';
import { LEADS } from '../leads/leads.table';
import { OPPORTUNITIES } from '../opportunities/opportunities.table';
import { CAMPAIGNS } from '../campaigns/campaigns.table';

/** The read models holding per-subject state folded from a subject's events: what a retraction rebuilds. */
const SUBJECT_READ_MODELS = [LEADS_READ_MODEL, OPPORTUNITIES_READ_MODEL, CAMPAIGNS_READ_MODEL];
const STATE_TABLE_OF: Partial<Record<SubjectKind, { name: string; key: string }>> = { lead: LEADS, opportunity: OPPORTUNITIES, campaign: CAMPAIGNS };

/**
 * Records the batch's retractions in `retracted_events` and returns the batch without every
 * retracted event (retracted earlier, or later in this batch): a replay, where the retraction
 * comes after its event, and a redelivered event both end as if the event had never been accepted.
 */
export async function withoutRetracted(em: EntityManager, all: readonly LogEvent[]): Promise<LogEvent[]> {
  const retractions = all.filter(isRetractionEvent);
  if (retractions.length > 0) {
    await em.query(
      `INSERT INTO retracted_events (event_id, retraction_id, retracted_type, subject_kind, subject_id, reason, retracted_by, retracted_at)
       SELECT * FROM jsonb_to_recordset($1::jsonb)
         AS x(event_id text, retraction_id text, retracted_type text, subject_kind text, subject_id text, reason text, retracted_by text, retracted_at timestamptz)
       ON CONFLICT (event_id) DO NOTHING`,
      [JSON.stringify(retractions.map((r) => ({
        event_id: r.data.eventId, retraction_id: r.id, retracted_type: r.data.retractedType, subject_kind: r.data.subjectKind,
        subject_id: r.data.subjectId, reason: r.data.reason, retracted_by: r.data.by, retracted_at: r.occurredAt,
      })))],
    );
  }
  const rows: { event_id: string }[] = await em.query(`SELECT event_id FROM retracted_events WHERE event_id = ANY($1::text[])`, [all.map((e) => e.id)]);
  const retracted = new Set(rows.map((r) => r.event_id));
  return retracted.size === 0 ? [...all] : all.filter((e) => !retracted.has(e.id));
}

/** The subjects whose lead-opportunity links an event makes (either side of each link). */
function linkedSubjects(e: FunnelEvent): { kind: SubjectKind; id: string }[] {
  if (e.type === 'LeadConverted') return [{ kind: 'opportunity', id: e.data.opportunityId }];
  if (e.type === 'OpportunityCreated') return (e.data.leadIds ?? []).map((id) => ({ kind: 'lead', id }));
  return [];
}

/**
 * `retracted_events`, and the rebuild a retraction implies (after the other read models, so the
 * batch's own events are in): the retracted event leaves `subject_events` (the subject's history
 * keeps the EventRetracted instead), its rows keyed by it go, and its subject's state is folded
 * again from the subject's remaining history. The subjects on the other side of a link it made
 * are folded again too, so a link another event also makes comes back.
 */
export const RETRACTIONS_READ_MODEL: ReadModel = {
  name: 'retractions',
  tables: { retracted_events: 'event_id' },
  async apply(em, { all }) {
    const ids = all.filter(isRetractionEvent).map((r) => r.data.eventId);
    if (ids.length === 0) return;
    // Not DELETE ... RETURNING: TypeORM answers a DELETE with [rows, count].
    const removed: { event: FunnelEvent }[] = await em.query(`SELECT event FROM subject_events WHERE event_id = ANY($1::text[])`, [ids]);
    if (removed.length === 0) return;
    const gone = removed.map((r) => r.event);
    const goneIds = gone.map((e) => e.id);
    await em.query(`DELETE FROM subject_events WHERE event_id = ANY($1::text[])`, [goneIds]);
    await em.query(`DELETE FROM lead_opportunity_links WHERE link_event_id = ANY($1::text[])`, [goneIds]);
    await em.query(`DELETE FROM lead_contacts WHERE event_id = ANY($1::text[])`, [goneIds]);
    await em.query(`DELETE FROM campaign_costs WHERE event_id = ANY($1::text[])`, [goneIds]);
    for (const e of gone) {
      const table = STATE_TABLE_OF[subjectOf(e).kind];
      if (table) await em.query(`DELETE FROM ${table.name} WHERE ${table.key} = $1`, [subjectOf(e).id]);
    }
    const subjects = [...new Map(gone.flatMap((e) => [subjectOf(e), ...linkedSubjects(e)]).map((s) => [JSON.stringify([s.kind, s.id]), s])).values()];
    const rows: { event: LogEvent }[] = await em.query(
      `SELECT s.event FROM subject_events s
         JOIN jsonb_to_recordset($1::jsonb) AS x(kind text, id text) ON s.subject_kind = x.kind AND s.subject_id = x.id
        ORDER BY s.occurred_at, s.event_id`,
      [JSON.stringify(subjects)],
    );
    const events = rows.map((r) => r.event).filter(isBusinessEvent);
    for (const model of SUBJECT_READ_MODELS) await model.apply(em, { all: events, events });
  },
  reset: (em) => truncateTables(em, RETRACTIONS_READ_MODEL),
};

/** Events retracted so far, as the read model has them: the `retracted` of /v1/status. */
export async function retractedCount(ds: DataSource): Promise<number> {
  const [{ n }]: { n: number }[] = await ds.query(`SELECT count(*)::int AS n FROM retracted_events`);
  return n;
}
