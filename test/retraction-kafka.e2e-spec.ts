import {
  expectEventually,
  funnelEventBuilder,
  kafkaModeEnv,
  realPostgresSchema,
  spawnApp,
  startChdbHttpServer,
  testKafka,
  type ChdbHttpServer,
  type SpawnedApp,
  type TestDatabase,
  type TestKafka,
} from '@funnel/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Retraction in distributed mode: ingest-api appends EventRetracted to Kafka under the retracted
 * event's subject, and the projector's two projections (PostgreSQL, ClickHouse) both forget it.
 */
describe('retraction on Kafka', () => {
  jest.setTimeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), 'funnel-retract-kafka-'));
  let shim: ChdbHttpServer;
  let db: TestDatabase;
  let kafka: TestKafka;
  let apps: SpawnedApp[] = [];
  let [ingest, reporting]: SpawnedApp[] = [];

  const b = funnelEventBuilder('rk');
  const created = b.created('RKO-1', '2026-02-01T00:00:00Z', ['RKL-1'], 500);
  const won = b.won('RKO-1', '2026-02-03T00:00:00Z', 90000);
  const events = [b.stage('RKL-1', '2026-01-30T09:00:00Z', 'MQL'), created, won];

  const status = async () => (await fetch(`${ingest.url}/v1/status`)).json() as Promise<any>;
  const caughtUp = () =>
    expectEventually(async () => {
      const s = await status();
      for (const p of s.projections) expect(p).toMatchObject({ lag: 0 });
      return s;
    }, 60_000, 200);
  const gql = async (query: string) =>
    (await fetch(`${reporting.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) })).json() as Promise<any>;
  // ClickHouse facts: a won opportunity is closed, so never stalled; an open one this old is.
  const later = new Date(Date.now() + 86_400_000).toISOString();
  const stalled = async () =>
    (await gql(`{ stalledOpportunities(asOf: "${later}") { edges { node { id amount } } } }`)).data.stalledOpportunities.edges.map((e: any) => e.node);

  beforeAll(async () => {
    shim = await startChdbHttpServer({ dataDir: join(dir, 'clickhouse') });
    db = await realPostgresSchema('retract');
    kafka = await testKafka();
    const env = kafkaModeEnv(kafka, db.schemaUrl as string, `${shim.url}/funnel_retract`);
    apps = await Promise.all([spawnApp('ingest-api', env), spawnApp('reporting-api', env), spawnApp('projector', env)]);
    [ingest, reporting] = apps;
  }, 120_000);
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop()));
    await shim?.close();
    await kafka?.close();
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('both projections forget a retracted win', async () => {
    const res = await fetch(`${ingest.url}/v1/events`, {
      method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: events.map((e) => JSON.stringify(e)).join('\n'),
    });
    expect(res.status).toBe(202);
    await caughtUp();
    expect((await gql(`{ opportunity(id: "RKO-1") { status } }`)).data.opportunity.status).toBe('won');
    expect(await stalled()).toEqual([]);

    const retract = () =>
      fetch(`${ingest.url}/v1/events/${won.id}/retract`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'wrong deal' }) });
    expect((await retract()).status).toBe(202);
    const s = await caughtUp();
    expect(s).toMatchObject({ accepted: events.length + 1, retracted: 1 });
    expect((await gql(`{ opportunity(id: "RKO-1") { status } }`)).data.opportunity.status).toBe('open');
    expect(await stalled()).toEqual([{ id: 'RKO-1', amount: 500 }]);
    expect((await retract()).status).toBe(200);
  });
});
