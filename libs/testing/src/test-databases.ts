import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The machine's PostgreSQL (trust auth). Override with TEST_DATABASE_URL. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  readonly label: string;
  readonly url: string;
  /** Schema the test lives in; undefined = the database's default. */
  readonly schema?: string;
  /** A pg connection option putting every session of a pool into that schema. */
  readonly pgOptions?: string;
  /** `url` with that option in it: a DATABASE_URL for an app spawned into the schema. */
  readonly schemaUrl?: string;
  /** Connections a pool may use: PGlite is safe only with one (see poolOf). */
  readonly poolSize: number;
  close(): Promise<void>;
}

/**
 * An isolated schema on the real PostgreSQL server. If the server is unreachable this throws:
 * an integration test must fail, never skip, when its component is missing.
 */
export async function realPostgresSchema(prefix = 't'): Promise<TestDatabase> {
  const schema = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = new Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect().catch((e: Error) => {
    throw new Error(`PostgreSQL is not reachable at ${TEST_DATABASE_URL} (${e.message}); start it, see README`);
  });
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  return {
    label: 'PostgreSQL server',
    url: TEST_DATABASE_URL,
    schema,
    pgOptions: `-c search_path=${schema}`,
    schemaUrl: urlWithOptions(TEST_DATABASE_URL, `-c search_path=${schema}`),
    poolSize: 4,
    async close() {
      const c = new Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
      await c.end();
    },
  };
}

/** A fresh in-memory PGlite behind pglite-socket, as embedded mode runs it. */
export async function pgliteDatabase(): Promise<TestDatabase> {
  // Loaded on use: @funnel/persistence brings TypeORM and PGlite (2 s), which the unit specs
  // that import this barrel only for its event builders never need.
  const { startEmbeddedPostgres } = await import('@funnel/persistence');
  const embedded = await startEmbeddedPostgres('memory://');
  return { label: 'PGlite', url: embedded.url, poolSize: 1, close: () => embedded.close() };
}

function urlWithOptions(url: string, options: string): string {
  const withOptions = new URL(url);
  withOptions.searchParams.set('options', options);
  return withOptions.toString();
}
