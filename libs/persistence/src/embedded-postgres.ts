import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface EmbeddedPostgres {
  /** postgres:// URL of the socket server, for pg and TypeORM. */
  readonly url: string;
  /** The Unix socket file it listens on (no TCP port at all). */
  readonly socketPath: string;
  close(): Promise<void>;
}

/** libpq's (and pg's) name for the socket of a server on "port" 5432 inside a socket directory. */
const SOCKET_FILE = '.s.PGSQL.5432';

/**
 * PGlite (PostgreSQL in WASM) served over the wire protocol, so pg and TypeORM run unchanged.
 * PGlite has no authentication (any client is a superuser), so it listens on a Unix socket in a
 * fresh directory only this OS user can enter (mode 0700, socket 0600), never on a TCP port that
 * any local user could reach around the API keys. The directory is under the system temp
 * directory because a socket path must stay under ~100 bytes, which a DATA_DIR may not.
 * Use it through ONE connection (see poolOf in data-source.ts); the server admits a few more only
 * so a replaced broken connection is not refused.
 */
/** `dataDir` may be `memory://` for a throwaway database (tests). */
export async function startEmbeddedPostgres(dataDir: string, maxConnections = 4): Promise<EmbeddedPostgres> {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  // wal_recycle off: a WAL segment a checkpoint no longer needs is deleted, not renamed for reuse
  // with its old bytes inside, so an erased lead's data key leaves the files once eraseLead has
  // switched to a new segment and checkpointed (libs/read-model contact-vault.ts). The cost is a
  // fresh 16 MB segment file where one would have been reused.
  const db = await PGlite.create(dataDir, { postgresqlconf: 'wal_recycle = off' });
  const socketDir = mkdtempSync(join(tmpdir(), 'funnel-pg-'));
  const removeSocketDir = () => rmSync(socketDir, { recursive: true, force: true });
  const socketPath = join(socketDir, SOCKET_FILE);
  const server = new PGLiteSocketServer({ db, path: socketPath, maxConnections });
  try {
    chmodSync(socketDir, 0o700);
    await server.start();
    chmodSync(socketPath, 0o600);
  } catch (e) {
    await server.stop();
    await db.close();
    removeSocketDir();
    throw e;
  }
  return {
    url: `postgres://postgres@localhost/postgres?host=${encodeURIComponent(socketDir)}`,
    socketPath,
    async close() {
      await server.stop();
      await db.close();
      removeSocketDir();
    },
  };
}
