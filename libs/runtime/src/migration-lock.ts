import { Client } from 'pg';

// Namespace (first key of the two-key advisory lock) of the read model's migrations; the event
// log's own migrations lock in their own namespace (libs/event-log).
const READ_MODEL_MIGRATION_LOCK = 0x464c524d;

/**
 * Runs `work` (the read model's TypeORM migrations) while holding a session advisory lock on a
 * connection of its own. TypeORM takes no lock itself, and in distributed mode every app opens
 * the read model at start: without this, processes starting together on a fresh database would
 * run the same CREATE TABLEs at once and all but one would fail. The lock goes with the
 * connection, so a process that dies holding it does not block the others.
 */
export async function withMigrationLock<T>(url: string, work: () => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1, hashtext(current_schema()))', [READ_MODEL_MIGRATION_LOCK]);
    return await work();
  } finally {
    await client.end();
  }
}
