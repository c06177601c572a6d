import { subjectOf } from '@funnel/contracts';
import { withoutContact } from '../contacts/contacts.read-model';
import { truncateTables, type ReadModel } from '../read-model';

/**
 * `subject_events`: every event under its subject (lookups' histories; the definitions' source).
 * A capture's contact is left out: it lives only in `lead_contacts`, which erasure scrubs.
 */
export const HISTORY_READ_MODEL: ReadModel = {
  name: 'history',
  tables: { subject_events: 'event_id' },
  async apply(em, { all }) {
    await em.query(
      `INSERT INTO subject_events (event_id, subject_kind, subject_id, type, occurred_at, event)
       SELECT event_id, subject_kind, subject_id, type, occurred_at, event
         FROM jsonb_to_recordset($1::jsonb)
           AS x(event_id text, subject_kind text, subject_id text, type text, occurred_at timestamptz, event jsonb)
       ON CONFLICT (event_id) DO NOTHING`,
      [JSON.stringify(all.map((e) => ({ event_id: e.id, subject_kind: subjectOf(e).kind, subject_id: subjectOf(e).id, type: e.type, occurred_at: e.occurredAt, event: withoutContact(e) })))],
    );
  },
  reset: (em) => truncateTables(em, HISTORY_READ_MODEL),
};
