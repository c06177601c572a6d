import { EmbeddedClickHouse } from '@funnel/clickhouse';
import { CRASH_POINTS, PROJECTION_NAMES } from '@funnel/config';
import { subjectOf, type FunnelEvent } from '@funnel/contracts';
import {
  exited,
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
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Pool } from 'pg';
import { dumpClickHouse, dumpPostgres, expectedFactCounts, factCounts } from '../read-model-dump';
import { reportQueries } from '../report-queries';
import { AckedIds, gql, status } from './fault-client';

// A broker of this suite's own (infra/kafka/kafka.sh on another port and state directory), so
// stopping it mid-stream touches no other test's broker.
const KAFKA_SCRIPT = join(__dirname, '..', '..', 'infra', 'kafka', 'kafka.sh');
const BROKER_ENV = { KAFKA_PORT: '9192', KAFKA_STATE_DIR: '.infra/kafka-faults' };
const BROKERS = ['127.0.0.1:9192'];

// Asynchronous, never spawnSync: the ClickHouse server the projector writes to is this process.
const run = promisify(execFile);
const broker = (command: 'up' | 'down') => run('bash', [KAFKA_SCRIPT, command], { env: { ...process.env, ...BROKER_ENV }, timeout: 180_000 });
const restartPostgres = () =>
  run('pg_ctlcluster', ['--skip-systemctl-redirect', readdirSync('/etc/postgresql')[0], 'main', 'restart'], { timeout: 120_000 });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Faults on purpose in Kafka mode (issue 12 item 6): ingest, reporting and projector as separate
 * processes on a broker of the suite's own, the PostgreSQL server and a ClickHouse server (chdb
 * behind its HTTP interface, which can refuse inserts or drop every connection on demand). One
 * fault after another on the same stores; after each: every id answered 2xx is in the log, both
 * projections have processed every message on the topic with lag 0, the dead letters are exactly
 * the poison messages, and every report equals a clean embedded server's that got the same
 * events once. At the end each read model holds one row per event, and a replay of each
 * projection from the topic rebuilds the same rows.
 */
describe('Kafka mode under faults', () => {
  const dir = mkdtempSync(join(tmpdir(), 'funnel-kfaults-'));
  const refDir = mkdtempSync(join(tmpdir(), 'funnel-kfaults-ref-'));
  const events = generateFunnelEvents({ leads: 240, seed: 43, prefix: 'kfl' });
  // Shuffled across subjects (out of order between them), every fourth event posted twice.
  const stream = shuffled([...events, ...events.filter((_, i) => i % 4 === 0)], 5);
  const crashes = PROJECTION_NAMES.flatMap((projection) => CRASH_POINTS.map((point) => ({ projection, point })));
  const steps = crashes.length + 6;
  const chunk = Math.ceil(stream.length / steps);
  const part = (step: number) => stream.slice(step * chunk, (step + 1) * chunk);
  const period = { from: '2026-01-01T00:00:00.000Z', to: '2026-03-01T00:00:00.000Z', asOf: '2026-02-15T00:00:00.000Z', leadId: 'kfl-L1' };
  const client = new AckedIds();
  const sent: FunnelEvent[] = [];
  let poison = 0;

  let reference: SpawnedApp;
  let shim: ChdbHttpServer;
  let db: TestDatabase;
  let kafka: TestKafka;
  let env: Record<string, string>;
  let ingest: SpawnedApp;
  let reporting: SpawnedApp;
  let projector: SpawnedApp | undefined;
  let second: SpawnedApp | undefined;

  beforeAll(async () => {
    await broker('up');
    reference = await spawnApp('standalone', { PORT: '0', DATA_DIR: refDir, SLA_CHECK_SECONDS: '0' });
    shim = await startChdbHttpServer({ dataDir: join(dir, 'clickhouse') });
    db = await realPostgresSchema('kfaults');
    kafka = await testKafka('funnel.events.faults', BROKERS);
    env = { ...kafkaModeEnv(kafka, db.schemaUrl as string, `${shim.url}/funnel_kafka`), SLA_CHECK_SECONDS: '0' };
    [ingest, reporting] = await Promise.all([spawnApp('ingest-api', env), spawnApp('reporting-api', env)]);
  }, 240_000);

  afterAll(async () => {
    await Promise.all([ingest, reporting, projector, second, reference].map((app) => app?.stop('SIGKILL')));
    await kafka?.close().catch(() => undefined);
    await shim?.close();
    await db?.close();
    await broker('down');
    rmSync(dir, { recursive: true, force: true });
    rmSync(refDir, { recursive: true, force: true });
  }, 120_000);

  /**
   * Posts `batch` to the reference once and to ingest until it answers 202, retrying what a
   * client would retry: a refused or dropped connection and any 5xx (the broker or PostgreSQL away).
   */
  const send = async (batch: readonly FunnelEvent[]) => {
    await new AckedIds().post(reference.url, batch);
    sent.push(...batch);
    const deadline = Date.now() + 180_000;
    for (;;) {
      try {
        return await client.post(ingest.url, batch);
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await sleep(500);
      }
    }
  };
  const sendAll = async (events: readonly FunnelEvent[]) => {
    for (let k = 0; k < events.length; k += 60) await send(events.slice(k, k + 60));
  };

  /** Writes messages to the topic behind ingest's back, as a producer retried after a timeout or a foreign writer can. */
  const produce = async (messages: { key: string; value: string }[]) => {
    const producer = kafka.kafka.producer();
    await producer.connect();
    await producer.send({ topic: kafka.topic, messages });
    await producer.disconnect();
  };

  const expectCleanAnswers = async () => {
    try {
      await expectCleanAnswersOnce();
    } catch (error) {
      // What the processes said explains a stuck projection: keep it with the failure, without
      // kafkajs's connection-refused lines (two every 300 ms while the broker is away).
      const tail = (app: SpawnedApp | undefined) =>
        app?.output().split('\n').filter((line) => !line.includes('ECONNREFUSED')).slice(-60).join('\n') ?? '(not running)';
      throw new Error(`${String(error)}\n--- projector output (tail) ---\n${tail(projector)}\n--- ingest output (tail) ---\n${tail(ingest)}`, { cause: error });
    }
  };
  const expectCleanAnswersOnce = async () => {
    const distinct = new Set(sent.map((e) => e.id)).size;
    expect(client.ids.size).toBe(distinct);
    // Every message on the topic processed (duplicates and poison included), the poison dead-lettered.
    await expectEventually(async () => {
      const s = await status(ingest.url);
      for (const p of s.projections) expect(p).toMatchObject({ processed: s.accepted, lag: 0, deadLetters: poison });
    }, 180_000, 250);
    await expectEventually(async () => {
      const s = await status(reference.url);
      expect(s.accepted).toBe(distinct);
      for (const p of s.projections) expect(p).toMatchObject({ processed: distinct, lag: 0 });
    }, 120_000, 250);
    for (const query of reportQueries(period)) {
      const [expected, actual] = [await gql(reference.url, query), await gql(reporting.url, query)];
      expect(expected.errors).toBeUndefined();
      expectClose(actual, expected);
    }
  };

  it.each(crashes.map((c, i) => [c.projection, c.point, i] as const))(
    'loses and doubles nothing when the projector is killed %s %s (offsets not yet committed)',
    async (projection, point, i) => {
      await projector?.stop();
      const crashing = await spawnApp('projector', { ...env, FAULT_CRASH_POINT: `${projection}:${point}:2` });
      projector = crashing;
      await sendAll(part(i));
      await Promise.race([
        exited(crashing.child),
        new Promise((_, reject) => setTimeout(() => reject(new Error(`the crash point was never reached:\n${crashing.output()}`)), 90_000).unref()),
      ]);
      expect(crashing.child.signalCode).toBe('SIGKILL');
      expect(crashing.output()).toContain(`FAULT_CRASH_POINT: SIGKILL at ${point} of ${projection} batch 2`);
      projector = await spawnApp('projector', env);
      await expectCleanAnswers();
    },
    240_000,
  );

  it('dead-letters exactly the poison messages, and ignores messages written twice', async () => {
    const batch = part(crashes.length);
    await sendAll(batch);
    await produce(batch.filter((_, i) => i % 3 === 0).map((e) => ({ key: subjectOf(e).id, value: JSON.stringify(e) })));
    await produce([
      { key: 'kfl-poison-1', value: '{"id":"kfl-poison-1","type":"LeadCaptured"' },
      { key: 'kfl-poison-2', value: JSON.stringify({ id: 'kfl-poison-2', type: 'NoSuchEvent', occurredAt: '2026-01-05T00:00:00Z' }) },
    ]);
    poison += 2;
    await expectCleanAnswers();
  }, 240_000);

  it('shares the work in a consumer-group rebalance, and loses nothing when one member is killed', async () => {
    second = await spawnApp('projector', env);
    const batch = part(crashes.length + 1);
    await sendAll(batch.slice(0, batch.length / 2));
    (projector as SpawnedApp).child.kill('SIGKILL');
    await exited((projector as SpawnedApp).child);
    projector = second;
    second = undefined;
    await sendAll(batch.slice(batch.length / 2));
    await expectCleanAnswers();
  }, 240_000);

  it('retries ClickHouse inserts that fail transiently, with nothing dead-lettered', async () => {
    shim.faults.failInserts(5);
    await sendAll(part(crashes.length + 2));
    await expectCleanAnswers();
    expect(shim.faults.refusedInserts).toBe(5);
  }, 240_000);

  it('stops projecting while ClickHouse is down, says why, and resumes without loss', async () => {
    shim.faults.outage();
    await sendAll(part(crashes.length + 3));
    const p = projector as SpawnedApp;
    await expectEventually(async () => expect(p.output()).toMatch(/failed a batch at [^\n]*retrying in \d+ ms without committing/), 60_000, 250);
    shim.faults.heal();
    await expectCleanAnswers();
  }, 240_000);

  it('keeps every acknowledged event when the broker stops and restarts mid-stream', async () => {
    projector ??= await spawnApp('projector', env);
    const batch = part(crashes.length + 4);
    const posting = sendAll(batch);
    await sleep(300);
    await broker('down');
    await sleep(2_000);
    await broker('up');
    await posting;
    await expectCleanAnswers();
  }, 360_000);

  it('keeps every acknowledged event when PostgreSQL restarts mid-stream', async () => {
    const batch = part(crashes.length + 5);
    const posting = sendAll(batch);
    await sleep(300);
    await restartPostgres();
    await posting;
    await expectCleanAnswers();
  }, 360_000);

  it('holds one row per accepted event in each read model, and a replay from the topic rebuilds the same rows', async () => {
    expect(sent.length).toBe(stream.length);
    await projector?.stop();
    projector = undefined;
    const distinct = [...new Map(sent.map((e) => [e.id, e])).values()];
    const pool = new Pool({ connectionString: db.schemaUrl, max: 2 });
    const facts = await EmbeddedClickHouse.open(join(dir, 'clickhouse'), { database: 'funnel_kafka' });
    try {
      const before = { postgres: await dumpPostgres(pool), clickhouse: await dumpClickHouse(facts) };
      const { rows } = await pool.query(`SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS ids FROM subject_events`);
      expect(rows[0]).toEqual({ n: distinct.length, ids: distinct.length });
      expect(await factCounts(facts)).toEqual(expectedFactCounts(distinct));
      for (const projection of PROJECTION_NAMES) {
        const replay = await runCommand('funnel', ['replay', '--projection', projection], env);
        if (replay.code !== 0) throw new Error(`funnel replay --projection ${projection} exited ${replay.code}:\n${replay.output}`);
      }
      expect(await dumpPostgres(pool)).toEqual(before.postgres);
      expect(await dumpClickHouse(facts)).toEqual(before.clickhouse);
    } finally {
      await facts.close();
      await pool.end();
    }
  }, 300_000);
});
