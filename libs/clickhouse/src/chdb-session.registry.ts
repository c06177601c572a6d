import type { Session } from 'chdb';
import { resolve } from 'node:path';

/**
 * chdb, loaded on first use: its native library (the whole ClickHouse engine) is half a
 * gigabyte, and most importers of @funnel/clickhouse (the server adapter, the migration runner,
 * the fact contract, test helpers) never open an embedded session.
 */
function chdb(): typeof import('chdb') {
  return require('chdb') as typeof import('chdb');
}

// libchdb binds one data directory per process. Sessions on that directory coexist, each with
// its own current database and settings, so every adapter (and the test HTTP shim) gets its own
// session and none can change another's `USE`.
let openDir: string | undefined;
const sessions = new Set<Session>();

/**
 * Opens a chdb session on `dataDir` with `settings` applied for its whole life. Throws while
 * sessions on another directory are open in this process.
 */
export function openChdbSession(dataDir: string, settings: Readonly<Record<string, string | number>> = {}): Session {
  const dir = resolve(dataDir);
  if (openDir !== undefined && openDir !== dir) {
    throw new Error(
      `chdb allows one data directory per process: '${openDir}' is open, so '${dir}' cannot be ` +
        `opened until every session on it is closed`,
    );
  }
  const session = new (chdb().Session)(dir, {
    connectionArgs: Object.entries(settings).map(([name, value]) => `--${name}=${value}`),
  });
  openDir = dir;
  sessions.add(session);
  return session;
}

/** Closes a session from {@link openChdbSession}; the last one frees the data directory. */
export async function closeChdbSession(session: Session): Promise<void> {
  if (!sessions.delete(session)) return;
  session.close();
  if (sessions.size > 0) return;
  // close() defers the native teardown behind queries still running; another directory can
  // be opened only once they are done.
  await chdb().drainPending();
  if (sessions.size === 0) openDir = undefined;
}
