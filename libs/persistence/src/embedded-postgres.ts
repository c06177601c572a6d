import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { mkdirSync } from 'node:fs';

export interface EmbeddedPostgres {
  /** postgres:// URL of the socket server, for pg and TypeORM. */
  readonly url: string;
  /** How many connections the socket server admits; size every pool to share them. */
  readonly maxConnections: number;
  close(): Promise<void>;
}

/**
 * PGlite (PostgreSQL in WASM) served over the wire protocol on a loopback port, so pg and
 * TypeORM run unchanged. PGlite runs one query at a time whatever the connection count; several
 * connections only let independent pools (event log, read model) coexist.
 */
/** `dataDir` may be `memory://` for a throwaway database (tests). */
export async function startEmbeddedPostgres(dataDir: string, maxConnections = 12): Promise<EmbeddedPostgres> {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
  await server.start();
  return {
    url: `postgres://postgres@${server.getServerConn()}/postgres`,
    maxConnections,
    async close() {
      await server.stop();
      await db.close();
    },
  };
}
