import {
  expectEventually,
  generateFunnelEvents,
  realPostgresSchema,
  spawnApp,
  type SpawnedApp,
  type TestDatabase,
} from '@funnel/testing';
import { Pool } from 'pg';

/**
 * A PostgreSQL-only deployment: the separately run apps on the PostgreSQL log table of a server
 * (EVENT_LOG=postgres), no Kafka. The projector sees appends made by another process.
 */
describe('separate processes on the PostgreSQL log', () => {
  const events = generateFunnelEvents({ leads: 100, seed: 13, prefix: 'pgl' });
  let db: TestDatabase;
  const apps: SpawnedApp[] = [];

  beforeAll(async () => {
    db = await realPostgresSchema('pglog');
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop()));
    await db?.close();
  });

  it('ingests in one process and projects in another', async () => {
    const env = { PORT: '0', EVENT_LOG: 'postgres', DATABASE_URL: db.schemaUrl as string, PROJECTIONS: 'postgres' };
    apps.push(await spawnApp('ingest-api', env), await spawnApp('projector', env));
    const [ingest] = apps;
    const res = await fetch(`${ingest.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: events.map((e) => JSON.stringify(e)).join('\n'),
    });
    expect(await res.json()).toMatchObject({ accepted: events.length });

    await expectEventually(async () => {
      const s: any = await (await fetch(`${ingest.url}/v1/status`)).json();
      expect(s.projections.find((p: { name: string }) => p.name === 'postgres')).toEqual({ name: 'postgres', processed: events.length, lag: 0, deadLetters: 0 });
    }, 30_000, 100);
    const pool = new Pool({ connectionString: db.schemaUrl, max: 1 });
    try {
      const { rows } = await pool.query(`SELECT count(*)::int AS leads FROM leads`);
      expect(rows).toEqual([{ leads: 100 }]);
    } finally {
      await pool.end();
    }
  });
});
