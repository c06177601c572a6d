import type { Pool } from 'pg';
import { inTransaction } from './pg-transaction';

/**
 * Schema of the PostgreSQL event log, and of the id reservations the Kafka adapter dedupes
 * through. Append-only: a migration is never edited once shipped, a new one is added after it.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE event_log (
    position       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id       text        NOT NULL UNIQUE,
    type           text        NOT NULL,
    subject_kind   text        NOT NULL,
    subject_id     text        NOT NULL,
    occurred_at    timestamptz NOT NULL,
    schema_version integer     NOT NULL,
    source         text,
    currency       text,
    data           jsonb       NOT NULL,
    recorded_at    timestamptz NOT NULL DEFAULT now()
  );
  CREATE INDEX event_log_subject_idx ON event_log (subject_kind, subject_id, position);

  -- One row, bumped in the append transaction, so acceptedCount and lag never count(*) the log.
  CREATE TABLE event_log_stats (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    accepted  bigint  NOT NULL
  );
  INSERT INTO event_log_stats (accepted) VALUES (0);

  CREATE TABLE event_log_consumers (
    name       text        PRIMARY KEY,
    position   bigint      NOT NULL DEFAULT 0,
    processed  bigint      NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now()
  );

  CREATE TABLE ingested_event_ids (
    event_id    text        PRIMARY KEY,
    reserved_at timestamptz NOT NULL DEFAULT now()
  );
  `,
  // The request that appended an event (AppendContext); null for events appended before.
  `ALTER TABLE event_log ADD COLUMN request_id text;`,
  // Who wrote each event (AppendContext.writer, DESIGN §8); null for events appended before.
  `ALTER TABLE event_log ADD COLUMN written_by text;`,
  // Nothing reads the log by subject (the read model's subject_events serves histories), and
  // every append paid to maintain this index.
  `DROP INDEX IF EXISTS event_log_subject_idx;`,
];

// Advisory lock namespaces (first key of the two-key form), so ours cannot collide with the
// single-key locks other code in the same database may take.
const MIGRATION_LOCK_NAMESPACE = 0x464c4d47;
export const APPEND_LOCK_NAMESPACE = 0x464c4150;

/**
 * Brings the event log schema (in the connection's search_path schema) to the latest version.
 * Idempotent, and safe when several processes start at once: they serialise on an advisory lock
 * and each applies only the versions not recorded yet.
 */
export async function migrateEventLog(pool: Pool): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))', [MIGRATION_LOCK_NAMESPACE]);
    await client.query(`
      CREATE TABLE IF NOT EXISTS event_log_schema_version (
        version    integer     PRIMARY KEY,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const { rows } = await client.query<{ version: number }>(
      'SELECT coalesce(max(version), 0) AS version FROM event_log_schema_version',
    );
    for (let version = rows[0].version + 1; version <= MIGRATIONS.length; version++) {
      await client.query(MIGRATIONS[version - 1]);
      await client.query('INSERT INTO event_log_schema_version (version) VALUES ($1)', [version]);
    }
  });
}
