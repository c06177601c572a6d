import { isSealedContact, type LeadCaptured } from '@funnel/contracts';
import { compareStamps } from '@funnel/domain';
import { truncateTables, type ReadModel } from '../read-model';

interface ContactRow {
  lead_id: string;
  event_id: string;
  captured_at: string;
  sealed: string;
}

/**
 * `lead_contacts`: each lead's latest sealed contact (from its latest LeadCaptured that had one),
 * for the admin lookup to open with the lead's key. Kept apart from `leads` so the lead's fold
 * and every report stay free of personal data. A lead whose key is gone (erased) gets no row, so
 * a replay meets the erasure and the contact does not come back.
 */
export const CONTACTS_READ_MODEL: ReadModel = {
  name: 'contacts',
  tables: { lead_contacts: 'lead_id' },
  async apply(em, { events }) {
    const latest = new Map<string, ContactRow>();
    for (const e of events) {
      if (e.type !== 'LeadCaptured' || !isSealedContact(e.data.contact)) continue;
      const row = { lead_id: e.data.leadId, event_id: e.id, captured_at: e.occurredAt, sealed: e.data.contact.sealed };
      const prev = latest.get(row.lead_id);
      if (!prev || compareStamps({ at: row.captured_at, id: row.event_id }, { at: prev.captured_at, id: prev.event_id }) > 0) latest.set(row.lead_id, row);
    }
    if (latest.size === 0) return;
    await em.query(
      `INSERT INTO lead_contacts (lead_id, event_id, captured_at, sealed)
       SELECT x.lead_id, x.event_id, x.captured_at, x.sealed
         FROM jsonb_to_recordset($1::jsonb) AS x(lead_id text, event_id text, captured_at timestamptz, sealed text)
        WHERE EXISTS (SELECT 1 FROM lead_keys k WHERE k.lead_id = x.lead_id AND k.data_key IS NOT NULL)
       ON CONFLICT (lead_id) DO UPDATE SET event_id = excluded.event_id, captured_at = excluded.captured_at, sealed = excluded.sealed
        WHERE (excluded.captured_at, excluded.event_id COLLATE "C") > (lead_contacts.captured_at, lead_contacts.event_id COLLATE "C")`,
      [JSON.stringify([...latest.values()])],
    );
  },
  reset: (em) => truncateTables(em, CONTACTS_READ_MODEL),
};

/** The event without its contact, sealed or not: what every other read model may keep. */
export function withoutContact<E extends { type: string; data: unknown }>(event: E): E {
  if (event.type !== 'LeadCaptured') return event;
  const data = (event as unknown as LeadCaptured).data;
  if (data.contact === undefined) return event;
  const { contact: _contact, ...rest } = data;
  return { ...event, data: rest };
}
