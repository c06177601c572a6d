import { EmbeddedClickHouse, repoRoot } from '@funnel/clickhouse';
import { subjectOf, type FunnelEvent } from '@funnel/contracts';
import {
  expectClose,
  expectEventually,
  generateFunnelEvents,
  kafkaModeEnv,
  realPostgresSchema,
  runCommand,
  shuffled,
  spawnApp,
  startChdbHttpServer,
  testKafka,
  type ChdbHttpServer,
  type SpawnedApp,
  type TestDatabase,
  type TestKafka,
} from '@funnel/testing';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { dumpClickHouse, dumpPostgres, expectedFactCounts, factCounts } from '../read-model-dump';
import { reportQueries } from '../report-queries';
import { AckedIds, caughtUp, gql, status } from './fault-client';

// A broker of this suite's own (port 9192, state in .infra/kafka-faults), so stopping it touches
// no other test; the ports and state come from kafka.sh's KAFKA_PORT and KAFKA_STATE_DIR.
const BROKER_ENV = { ...process.env, KAFKA_PORT: '9192', KAFKA_STATE_DIR: '.infra/kafka-faults' };
const broker = (command: 'up' | 'down') =>
  execFileSync('bash', [join(repoRoot(), 'infra/kafka/kafka.sh'), command], { env: BROKER_ENV, stdio: ['ignore', 'pipe', 'inherit'] }).toString();

// The machine's PostgreSQL (the suite runs alone: .ci/run runs it after npm test).
const restartPostgres = () => {
  const [version] = readdirSync('/etc/postgresql');
  execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'restart'], { stdio: 'inherit' });
};

/**
 * Faults on purpose in Kafka mode (issue 12 item 6): ingest, projector and reporting API as
 * separate processes on a real broker, the PostgreSQL server and a ClickHouse server (chdb behind
 * its HTTP interface, which injects the ClickHouse faults). One stream, a fault per step; after
 * each: both projections have processed everything on the topic, the dead-letter topic holds
 * exactly the poison messages, and every report equals a clean embedded server's that got the
 * same events once. At the end each read model holds one row per acknowledged event, and a
 * replay from the topic rebuilds the same rows.
 */
describe('Kafka mode under faults', () => {
  const dir = mkdtempSync(join(tmpdir(), 'funnel-kfaults-'));
  const refDir = mkdtempSync(join(tmpdir(), 'funnel-kfaults-ref-'));
  const events = generateFunnelEvents({ leads: 240, seed: 43, prefix: 'kft' });
  const stream = shuffled([...events, ...events.filter((_, i) => i % 4 === 0)], 5);
  const STEPS = 9;
  const chunk = Math.ceil(stream.length / STEPS);
  const period = { from: '2026-01-01T00:00:00.000Z', to: '2026-03-01T00:00:00.000Z', asOf: '2026-02-15T00:00:00.000Z', leadId: 'kft-L1' };
  const client = new AckedIds();
  let shim: ChdbHttpServer;
  let db: TestDatabase;
  let kafka: TestKafka;
  let env: Record<string, string>;
  let reference: SpawnedApp;
  let ingest: SpawnedApp;
  let reporting: SpawnedApp;
  const projectors: SpawnedApp[] = [];
  let step = 0;
  let poison = 0;

  beforeAll(async () => {
    broker('up');
    shim = await startChdbHttpServer({ dataDir: dir });
    db = await realPostgresSchema('kfaults');
    kafka = await testKafka('funnel.events.faults', ['127.0.0.1:9192']);
    env = { ...kafkaModeEnv(kafka, db.schemaUrl as string, `${shim.url}/funnel`), SLA_CHECK_SECONDS: '0' };
    [reference, ingest, reporting] = await Promise.all([
      spawnApp('standalone', { PORT: '0', DATA_DIR: refDir, SLA_CHECK_SECONDS: '0' }),
      spawnApp('ingest-api', env),
      spawnApp('reporting-api', env),
    ]);
    projectors.push(await spawnApp('projector', env));
  }, 180_000);

  afterAll(async () => {
    await Promise.all([reference, ingest, reporting, ...projectors].map((app) => app?.stop('SIGKILL')));
    await kafka?.close().catch(() => undefined);
    await shim?.close();
    await db?.close();
    broker('down');
    rmSync(dir, { recursive: true, force: true });
    rmSync(refDir, { recursive: true, force: true });
  });

  /** Sends `batch` to the reference once and to ingest until it answers 202 (a 5xx or a lost connection is retried). */
  const send = async (batch: readonly FunnelEvent[]) => {
    await new AckedIds().post(reference.url, batch);
    await expectEventually(() => client.post(ingest.url, batch), 120_000, 500);
  };
  const nextChunk = () => stream.slice(step * chunk, ++step * chunk);
  const sendAll = async (part: readonly FunnelEvent[]) => {
    for (let k = 0; k < part.length; k += 60) await send(part.slice(k, k + 60));
  };
  const projector = () => projectors[projectors.length - 1];

  const expectCleanAnswers = async () => {
    await caughtUp(ingest.url, { deadLetters: poison }, 180_000);
    await caughtUp(reference.url);
    for (const query of reportQueries(period)) {
      const [expected, actual] = [await gql(reference.url, query), await gql(reporting.url, query)];
      expect(expected.errors).toBeUndefined();
      expectClose(actual, expected);
    }
  };

  it.each([
    ['clickhouse', 'after-write'],
    ['postgres', 'mid-batch'],
    ['postgres', 'before-write'],
  ] as const)('loses and doubles nothing when the projector is killed at the %s projection\'s %s', async (projection, point) => {
    await projector().stop();
    const crashing = await spawnApp('projector', { ...env, FAULT_CRASH_POINT: `${projection}:${point}:2` });
    projectors.push(crashing);
    await sendAll(nextChunk());
    await expectEventually(async () => expect(crashing.child.signalCode).toBe('SIGKILL'), 60_000, 100);
    expect(crashing.output()).toContain(`FAULT_CRASH_POINT: SIGKILL at ${point} of ${projection} batch 2`);
    projectors.push(await spawnApp('projector', env));
    await expectCleanAnswers();
  }, 300_000);

  it('absorbs a rebalance: a second projector joins mid-stream and is killed', async () => {
    const part = nextChunk();
    const second = await spawnApp('projector', env);
    await sendAll(part.slice(0, part.length / 2));
    await second.stop('SIGKILL');
    await sendAll(part.slice(part.length / 2));
    await expectCleanAnswers();
  }, 300_000);

  it('retries ClickHouse writes that fail transiently, dead-lettering nothing', async () => {
    shim.faults.failInserts(6);
    await sendAll(nextChunk());
    await expectCleanAnswers();
    expect(shim.faults.refusedInserts).toBe(6);
  }, 300_000);

  it('stops projecting while ClickHouse is down, says why, and resumes without loss', async () => {
    const part = nextChunk();
    shim.faults.outage();
    await sendAll(part);
    await expectEventually(async () => {
      expect(projector().output()).toMatch(/Consumer ".*clickhouse" failed a batch .*retrying in \d+ ms without committing/);
      const s = await status(ingest.url);
      expect(s.projections.find((p: { name: string }) => p.name === 'clickhouse').lag).toBeGreaterThan(0);
    }, 60_000, 250);
    shim.faults.heal();
    await expectCleanAnswers();
  }, 300_000);

  it('accepts nothing falsely while the broker is down, and catches up once it is back', async () => {
    const part = nextChunk();
    await sendAll(part.slice(0, part.length / 2));
    broker('down');
    const refused = await fetch(`${ingest.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: part.slice(part.length / 2).map((e) => JSON.stringify(e)).join('\n'),
    });
    expect(refused.status).toBeGreaterThanOrEqual(500);
    broker('up');
    await sendAll(part.slice(part.length / 2));
    await expectCleanAnswers();
  }, 300_000);

  it('rides out a PostgreSQL restart in ingest, the projector and the reporting API', async () => {
    const part = nextChunk();
    const sending = sendAll(part);
    await new Promise((resolve) => setTimeout(resolve, 300));
    restartPostgres();
    await sending;
    await expectCleanAnswers();
  }, 300_000);

  it('dead-letters exactly the poison messages and absorbs messages written twice', async () => {
    const part = nextChunk();
    const producer = kafka.kafka.producer();
    await producer.connect();
    await sendAll(part.slice(0, part.length / 2));
    await producer.send({
      topic: kafka.topic,
      messages: [
        { key: 'kft-poison', value: JSON.stringify({ id: 'kft-poison', type: 'LeadTeleported', occurredAt: '2026-01-05T00:00:00.000Z', data: { leadId: 'kft-L1' } }) },
        { key: 'kft-poison', value: 'not json {' },
        ...part.slice(0, 40).map((e) => ({ key: subjectOf(e).id, value: JSON.stringify(e) })),
      ],
    });
    await producer.disconnect();
    poison = 2;
    await sendAll(part.slice(part.length / 2));
    await sendAll(stream.slice(step * chunk));
    await expectCleanAnswers();
  }, 300_000);

  it('holds one row per acknowledged event in each read model, and a replay rebuilds the same rows', async () => {
    const distinct = events.filter((e) => client.ids.has(e.id));
    expect(distinct).toHaveLength(events.length);
    const pool = new Pool({ connectionString: db.schemaUrl, max: 2 });
    const facts = await EmbeddedClickHouse.open(dir, { database: 'funnel' });
    try {
      const { rows } = await pool.query(`SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS ids FROM subject_events`);
      expect(rows[0]).toEqual({ n: events.length, ids: events.length });
      expect(await factCounts(facts)).toEqual(expectedFactCounts(events));
      const before = { postgres: await dumpPostgres(pool), clickhouse: await dumpClickHouse(facts) };
      await Promise.all(projectors.map((p) => p.stop()));
      for (const projection of ['postgres', 'clickhouse']) {
        const replay = await runCommand('funnel', ['replay', '--projection', projection], env);
        expect({ projection, code: replay.code, output: replay.output }).toMatchObject({ code: 0 });
      }
      expect(await dumpPostgres(pool)).toEqual(before.postgres);
      expect(await dumpClickHouse(facts)).toEqual(before.clickhouse);
    } finally {
      await facts.close();
      await pool.end();
    }
  }, 300_000);
});
