import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { mkdirSync } from 'node:fs';

export interface EmbeddedPostgres {
  /** postgres:// URL of the socket server, for pg and TypeORM. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * PGlite (PostgreSQL in WASM) served over the wire protocol on a loopback port, so pg and
 * TypeORM run unchanged. Use it through ONE connection (see poolOf in data-source.ts); the
 * server admits a few more only so a replaced broken connection is not refused.
 */
/** `dataDir` may be `memory://` for a throwaway database (tests). */
export async function startEmbeddedPostgres(dataDir: string, maxConnections = 4): Promise<EmbeddedPostgres> {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
  await server.start();
  return {
    url: `postgres://postgres@${server.getServerConn()}/postgres`,
    async close() {
      await server.stop();
      await db.close();
    },
  };
}
