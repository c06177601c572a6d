import { Client } from 'pg';

// Namespaces (first key of the two-key advisory lock) of the read model's and the ClickHouse
// facts' migrations; the event log's own migrations lock in their own namespace (libs/event-log).
export const READ_MODEL_MIGRATION_LOCK = 0x464c524d;
export const FACT_MIGRATION_LOCK = 0x464c4346;

/**
 * Runs `work` (the read model's TypeORM migrations, or the ClickHouse fact migrations) while
 * holding a session advisory lock of `namespace` on a connection of its own. Neither TypeORM nor
 * ClickHouse takes a lock, and in distributed mode every app migrates at start: without this,
 * processes starting together would run the same DDL at once (the read model's CREATE TABLEs
 * fail; the facts' table rebuilds of migration 002 drop each other's copies). The lock goes with
 * the connection, so a process that dies holding it does not block the others.
 */
export async function withMigrationLock<T>(url: string, namespace: number, work: () => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1, hashtext(current_schema()))', [namespace]);
    return await work();
  } finally {
    await client.end();
  }
}
