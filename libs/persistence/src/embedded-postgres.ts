import { mkdirSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

export interface EmbeddedPostgres {
  /** postgres:// URL of the socket server, for pg and TypeORM. */
  readonly url: string;
  close(): Promise<void>;
}

/*
 * The worker's whole program. PGlite runs its WASM PostgreSQL synchronously on the thread that
 * owns it: on the main thread every query stalls HTTP, validation and the projections' folding
 * (profiled: the WASM was a third of the process's CPU under ingest). On a thread of its own it
 * runs beside them on the second core. Plain JavaScript evaluated as is, so it needs no build
 * step (tests run the TypeScript sources); the two packages are resolved by the main thread.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { PGlite } = require(workerData.pglite);
const { PGLiteSocketServer } = require(workerData.socket);
(async () => {
  const db = await PGlite.create(workerData.dataDir);
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: workerData.maxConnections });
  await server.start();
  parentPort.once('message', () =>
    server.stop().then(() => db.close()).then(
      () => parentPort.postMessage({ closed: true }),
      (error) => parentPort.postMessage({ error: String(error) }),
    ),
  );
  parentPort.postMessage({ conn: server.getServerConn() });
})().catch((error) => parentPort.postMessage({ error: error instanceof Error ? error.stack ?? error.message : String(error) }));
`;

type WorkerReply = { conn: string } | { closed: true } | { error: string };

/**
 * PGlite (PostgreSQL in WASM) on a worker thread, served over the wire protocol on a loopback
 * port, so pg and TypeORM run unchanged. Use it through ONE connection (see poolOf in
 * data-source.ts); the server admits a few more only so a replaced broken connection is not
 * refused. `dataDir` may be `memory://` for a throwaway database (tests).
 */
export async function startEmbeddedPostgres(dataDir: string, maxConnections = 4): Promise<EmbeddedPostgres> {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      dataDir,
      maxConnections,
      pglite: require.resolve('@electric-sql/pglite'),
      socket: require.resolve('@electric-sql/pglite-socket'),
    },
  });
  const next = () =>
    new Promise<WorkerReply>((resolve, reject) => {
      const onExit = (code: number) => reject(new Error(`the embedded PostgreSQL thread exited (code ${code})`));
      worker.once('error', reject);
      worker.once('exit', onExit);
      worker.once('message', (reply: WorkerReply) => {
        worker.off('error', reject);
        worker.off('exit', onExit);
        resolve(reply);
      });
    });
  const started = await next().catch(async (error: unknown) => {
    await worker.terminate();
    throw error;
  });
  if ('error' in started || !('conn' in started)) {
    await worker.terminate();
    throw new Error(`embedded PostgreSQL did not start: ${'error' in started ? started.error : 'no address'}`);
  }
  // The thread must not keep the process alive on its own; close() ends it.
  worker.unref();
  return {
    url: `postgres://postgres@${started.conn}/postgres`,
    async close() {
      const closed = next();
      worker.postMessage('close');
      const reply = await closed.finally(() => worker.terminate());
      if ('error' in reply) throw new Error(`embedded PostgreSQL did not close cleanly: ${reply.error}`);
    },
  };
}
