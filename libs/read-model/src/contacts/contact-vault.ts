import { isSealedContact, type FunnelEvent, type LeadContact, type SealedContact } from '@funnel/contracts';
import { newDataKey, open, seal } from './contact-envelope';

/** What runs SQL: a TypeORM DataSource or EntityManager. */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<any>;
}

/*
 * Personal data (DESIGN §8). `lead_keys` (migration 1700000000015) holds one random data key per
 * lead that ever had a contact, in the read-model database but NOT as a read model: a replay
 * leaves it alone, or every contact would become unreadable. Erasure sets `data_key` to NULL and
 * stamps `erased_at`/`erased_by` (the row is the erasure's audit record); the tombstone also
 * stops a later capture of the same lead from storing a contact again.
 */

/** The live data key of each lead, created for those that have none; erased leads are absent. */
async function dataKeysFor(db: Queryable, leadIds: readonly string[]): Promise<Map<string, Buffer>> {
  const ids = [...new Set(leadIds)];
  if (ids.length === 0) return new Map();
  // Two statements, not one: the SELECT's own snapshot then sees a key a concurrent ingest of the
  // same lead committed first (ON CONFLICT DO NOTHING kept ours out), so both seal with one key.
  await db.query(
    `INSERT INTO lead_keys (lead_id, data_key, created_at)
     SELECT lead_id, decode(data_key, 'hex'), now() FROM unnest($1::text[], $2::text[]) AS n(lead_id, data_key)
     ON CONFLICT (lead_id) DO NOTHING`,
    [ids, ids.map(() => newDataKey().toString('hex'))],
  );
  const rows: { lead_id: string; data_key: string }[] = await db.query(
    `SELECT lead_id, encode(data_key, 'hex') AS data_key FROM lead_keys WHERE lead_id = ANY($1::text[]) AND data_key IS NOT NULL`,
    [ids],
  );
  return new Map(rows.map((r) => [r.lead_id, Buffer.from(r.data_key, 'hex')]));
}

const hasContact = (contact: LeadContact | SealedContact): boolean => Object.values(contact).some((v) => v !== undefined);

/**
 * The events as the log must receive them: each LeadCaptured's plaintext contact sealed with its
 * lead's key; dropped for an erased lead (the person asked to be forgotten) or when empty.
 */
export async function sealContacts<E extends FunnelEvent>(db: Queryable, events: readonly E[]): Promise<E[]> {
  if (!events.some((e) => e.type === 'LeadCaptured' && e.data.contact !== undefined)) return [...events];
  // An empty contact ({}) is dropped without giving its lead a key.
  const keys = await dataKeysFor(
    db,
    events.flatMap((e) => (e.type === 'LeadCaptured' && e.data.contact !== undefined && hasContact(e.data.contact) ? [e.data.leadId] : [])),
  );
  return events.map((e) => {
    if (e.type !== 'LeadCaptured' || e.data.contact === undefined) return e;
    const { contact, ...rest } = e.data;
    if (isSealedContact(contact)) throw new Error(`event ${e.id} already holds a sealed contact; only validated input is sealed`);
    const key = keys.get(e.data.leadId);
    const data = key && hasContact(contact) ? { ...rest, contact: { sealed: seal(key, e.data.leadId, JSON.stringify(contact)) } } : rest;
    return { ...e, data };
  });
}

/** The lead's latest contact, opened; null when it has none, or it was erased. */
export async function openContact(db: Queryable, leadId: string): Promise<LeadContact | null> {
  const [row]: { sealed: string; data_key: string }[] = await db.query(
    `SELECT c.sealed, encode(k.data_key, 'hex') AS data_key
       FROM lead_contacts c JOIN lead_keys k USING (lead_id)
      WHERE c.lead_id = $1 AND k.data_key IS NOT NULL`,
    [leadId],
  );
  if (!row) return null;
  return JSON.parse(open(Buffer.from(row.data_key, 'hex'), leadId, row.sealed)) as LeadContact;
}

export interface EraseOptions {
  /**
   * Also push the key out of the write-ahead log: switch to a new WAL segment and checkpoint, so
   * the segments that recorded the key are deleted (embedded PGlite runs with wal_recycle off).
   * Needs superuser rights (embedded mode has them); on a server, WAL archives, replicas and
   * backups keep their copies anyway, which docs/operations.md tells the operator to rotate.
   */
  readonly forgetWal?: boolean;
}

export interface Erasure {
  readonly leadId: string;
  /** The first erasure's time: erasing again changes nothing. */
  readonly erasedAt: string;
  readonly erasedBy: string;
  /** False when this call did the erasing, true when the lead was already erased. */
  readonly alreadyErased: boolean;
}

/** Every table that held a lead's key or contact, rewritten after an erasure (see eraseLead). */
export const PERSONAL_DATA_TABLES = ['lead_keys', 'lead_contacts'] as const;

/**
 * Forgets a lead's person (DESIGN §8): destroys its data key, which leaves every sealed copy
 * (the log, Kafka segments, backups) unreadable, and deletes the sealed contact from the read
 * models. Counts do not change: the lead and its events stay, only the contact goes. Returns
 * undefined for a lead the read models never saw and that has no key.
 */
export async function eraseLead(
  db: Queryable & { transaction<T>(run: (em: Queryable) => Promise<T>): Promise<T> },
  leadId: string,
  by: string,
  now: Date,
  options: EraseOptions = {},
): Promise<Erasure | undefined> {
  const erasure = await db.transaction(async (em) => {
    const [known] = await em.query(
      `SELECT 1 FROM leads WHERE lead_id = $1 UNION ALL SELECT 1 FROM lead_keys WHERE lead_id = $1 LIMIT 1`,
      [leadId],
    );
    if (!known) return undefined;
    // The tombstone (data_key NULL) is written for a lead without a key too, so a contact sent later is refused.
    const [row]: { erased_at: string; erased_by: string; already: boolean }[] = await em.query(
      `WITH prior AS (SELECT erased_at IS NOT NULL AS already FROM lead_keys WHERE lead_id = $1)
       INSERT INTO lead_keys (lead_id, data_key, created_at, erased_at, erased_by) VALUES ($1, NULL, $2, $2, $3)
       ON CONFLICT (lead_id) DO UPDATE
         SET data_key = NULL, erased_at = COALESCE(lead_keys.erased_at, excluded.erased_at), erased_by = COALESCE(lead_keys.erased_by, excluded.erased_by)
       RETURNING to_char(erased_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS erased_at, erased_by,
                 COALESCE((SELECT already FROM prior), false) AS already`,
      [leadId, now.toISOString(), by],
    );
    await em.query(`DELETE FROM lead_contacts WHERE lead_id = $1`, [leadId]);
    return { leadId, erasedAt: row.erased_at, erasedBy: row.erased_by, alreadyErased: row.already };
  });
  if (erasure === undefined) return undefined;
  // DELETE and UPDATE leave the old row versions (the key, the sealed contact) in the table's
  // pages until VACUUM reclaims them, and plain VACUUM only marks the space free; VACUUM FULL
  // rewrites both tables into new files without them. They are narrow (one row per lead that had
  // a contact), so the rewrite is cheap. It cannot run inside a transaction, hence after it.
  await db.query(`VACUUM FULL ${PERSONAL_DATA_TABLES.join(', ')}`);
  if (options.forgetWal) {
    await db.query(`SELECT pg_switch_wal()`);
    await db.query(`CHECKPOINT`);
  }
  return erasure;
}
