import { EmbeddedClickHouse } from '@funnel/clickhouse';
import { loadConfig } from '@funnel/config';
import { subjectOf, type FunnelEvent } from '@funnel/contracts';
import {
  expectClose,
  expectEventually,
  generateFunnelEvents,
  realPostgresSchema,
  shuffled,
  spawnApp,
  kafkaModeEnv,
  testKafka,
  type SpawnedApp,
  type TestDatabase,
  type TestKafka,
  startChdbHttpServer,
  type ChdbHttpServer,
} from '@funnel/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { startStandalone, type StandaloneApp } from '../apps/standalone/src/standalone.app';
import { dumpClickHouse, dumpPostgres } from './read-model-dump';
import { reportQueries } from './report-queries';

/**
 * The same stream (mixed, shuffled, with duplicates) through embedded mode and through the three
 * apps as separate processes on a real Kafka broker, the PostgreSQL server and a ClickHouse
 * server (chdb behind its HTTP interface, libs/testing/src/chdb-http-server.ts): identical read
 * models and identical GraphQL answers. Both ClickHouse databases live in this process's one chdb
 * directory (chdb allows one per process): `funnel` for embedded mode, `funnel_kafka` for the other.
 */
describe('distributed mode (Kafka) against embedded mode', () => {
  const dir = mkdtempSync(join(tmpdir(), 'funnel-parity-'));
  const events = generateFunnelEvents({ leads: 300, seed: 21, prefix: 'par' });
  // Every fifth event sent again, all in one shuffled stream: the duplicates land in other requests.
  const stream = shuffled([...events, ...events.filter((_, i) => i % 5 === 0)], 7);
  // Written twice to the topic behind ingest's back, as a send retried after a timeout can.
  const redelivered = events.filter((_, i) => i % 7 === 0);
  const from = '2026-01-01T00:00:00.000Z';
  const to = '2026-03-01T00:00:00.000Z';
  const asOf = '2026-02-15T00:00:00.000Z';

  let reference: StandaloneApp;
  let shim: ChdbHttpServer;
  let db: TestDatabase;
  let kafka: TestKafka;
  let env: Record<string, string>;
  let ingest: SpawnedApp;
  let reporting: SpawnedApp;
  let projector: SpawnedApp | undefined;

  beforeAll(async () => {
    reference = await startStandalone(loadConfig({ SLA_CHECK_SECONDS: '0', PORT: '0', DATA_DIR: dir }));
    shim = await startChdbHttpServer({ dataDir: join(dir, 'clickhouse') });
    db = await realPostgresSchema('parity');
    kafka = await testKafka();
    env = kafkaModeEnv(kafka, db.schemaUrl as string, `${shim.url}/funnel_kafka`);
    [ingest, reporting] = await Promise.all([spawnApp('ingest-api', env), spawnApp('reporting-api', env)]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([ingest, reporting, projector].map((app) => app?.stop()));
    await shim?.close();
    await kafka?.close();
    await db?.close();
    await reference?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = async (url: string, batch: readonly FunnelEvent[]) => {
    const res = await fetch(`${url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: batch.map((e) => JSON.stringify(e)).join('\n'),
    });
    expect(res.status).toBe(202);
    const { accepted, duplicates } = (await res.json()) as { accepted: number; duplicates: number };
    return { accepted, duplicates };
  };
  const status = async (url: string) => (await fetch(`${url}/v1/status`)).json() as Promise<any>;
  const gql = async (url: string, query: string, variables: Record<string, unknown> = {}) => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return res.json() as Promise<any>;
  };

  it('accepts what embedded mode accepts, and reports Kafka consumer lag until a projector catches up', async () => {
    for (let i = 0; i < stream.length; i += 500) {
      const batch = stream.slice(i, i + 500);
      expect(await post(ingest.url, batch)).toEqual(await post(reference.url, batch));
    }
    const producer = kafka.kafka.producer();
    await producer.connect();
    await producer.send({
      topic: kafka.topic,
      messages: redelivered.map((e) => ({ key: subjectOf(e).id, value: JSON.stringify(e) })),
    });
    await producer.disconnect();

    // No projector yet: lag is every event on the topic, from the groups' (absent) committed offsets.
    const onTopic = events.length + redelivered.length;
    const waiting = [
      { name: 'postgres', processed: 0, lag: onTopic, deadLetters: 0 },
      { name: 'clickhouse', processed: 0, lag: onTopic, deadLetters: 0 },
    ];
    expect(await status(ingest.url)).toEqual({ accepted: onTopic, projections: waiting, retracted: 0 });
    expect((await gql(reporting.url, '{ status { accepted projections { name processed lag deadLetters } } }')).data.status).toEqual({
      accepted: onTopic,
      projections: waiting,
    });

    projector = await spawnApp('projector', env);
    await expectEventually(async () => {
      for (const url of [ingest.url, reference.url]) {
        const s = await status(url);
        for (const p of s.projections) expect(p).toMatchObject({ processed: s.accepted, lag: 0 });
      }
    }, 60_000, 200);
    expect((await status(reference.url)).accepted).toBe(events.length);
  }, 120_000);

  it('builds the same PostgreSQL read model and the same ClickHouse facts', async () => {
    const pool = new Pool({ connectionString: db.schemaUrl, max: 2 });
    const facts = await EmbeddedClickHouse.open(join(dir, 'clickhouse'), { database: 'funnel_kafka' });
    try {
      const [expectedPostgres, actualPostgres] = [await dumpPostgres(reference.runtime.readModel), await dumpPostgres(pool)];
      expect(expectedPostgres.leads.length).toBe(300);
      expect(actualPostgres).toEqual(expectedPostgres);
      const [expectedFacts, actualFacts] = [await dumpClickHouse(reference.runtime.clickhouse), await dumpClickHouse(facts)];
      expect(expectedFacts.touches.length).toBeGreaterThan(300);
      expect(actualFacts).toEqual(expectedFacts);
    } finally {
      await facts.close();
      await pool.end();
    }
  });

  it('answers GraphQL reports identically', async () => {
    const queries = reportQueries({ from, to, asOf, leadId: 'par-L1' });
    for (const query of queries) {
      const [expected, actual] = [await gql(reference.url, query), await gql(reporting.url, query)];
      expect(expected.errors).toBeUndefined();
      expectClose(actual, expected);
    }
  });
});
