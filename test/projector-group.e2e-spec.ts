import { EmbeddedClickHouse } from '@funnel/clickhouse';
import type { FunnelEvent } from '@funnel/contracts';
import { openReadModel } from '@funnel/persistence';
import { applyReadModels } from '@funnel/read-model';
import {
  expectEventually,
  generateFunnelEvents,
  realPostgresSchema,
  spawnApp,
  kafkaModeEnv,
  testKafka,
  type SpawnedApp,
  type TestDatabase,
  type TestKafka,
  startChdbHttpServer,
  type ChdbHttpServer,
} from '@funnel/testing';
import { AssignerProtocol } from 'kafkajs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { dumpPostgres, expectedFactCounts, factCounts } from './read-model-dump';

/**
 * Two projector processes in one consumer group per projection share the topic's partitions;
 * one is killed with SIGKILL while it projects and started again. Afterwards both read models
 * hold every event exactly once: what a crash redelivered (processed, not yet committed) is
 * absorbed because every write is idempotent by event id. Both processes write ClickHouse
 * through one chdb HTTP server (two processes cannot share an embedded chdb directory).
 */
describe('two projectors in one consumer group, one killed mid-stream', () => {
  const dir = mkdtempSync(join(tmpdir(), 'funnel-group-'));
  const events = generateFunnelEvents({ leads: 2000, seed: 31, prefix: 'grp' });
  let shim: ChdbHttpServer;
  let db: TestDatabase;
  let reference: TestDatabase;
  let kafka: TestKafka;
  let env: Record<string, string>;
  const apps: SpawnedApp[] = [];

  beforeAll(async () => {
    shim = await startChdbHttpServer({ dataDir: dir });
    db = await realPostgresSchema('group');
    reference = await realPostgresSchema('group_ref');
    kafka = await testKafka();
    env = kafkaModeEnv(kafka, db.schemaUrl as string, `${shim.url}/funnel`);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop()));
    await shim?.close();
    await kafka?.close();
    await db?.close();
    await reference?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async (main: 'ingest-api' | 'projector') => {
    const app = await spawnApp(main, env);
    apps.push(app);
    return app;
  };
  const status = async (url: string) => (await fetch(`${url}/v1/status`)).json() as Promise<any>;
  const post = async (url: string, batch: readonly FunnelEvent[]) => {
    const res = await fetch(`${url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: batch.map((e) => JSON.stringify(e)).join('\n'),
    });
    expect(res.status).toBe(202);
    return ((await res.json()) as { accepted: number }).accepted;
  };
  /** Partitions per live member of a projection's group. */
  const assignment = async (projection: string) => {
    const [group] = (await kafka.admin.describeGroups([`${kafka.topic}.${projection}`])).groups;
    return group.members.map((m) => AssignerProtocol.MemberAssignment.decode(m.memberAssignment)?.assignment[kafka.topic]?.length ?? 0);
  };

  it('loses and duplicates nothing in PostgreSQL or ClickHouse', async () => {
    const ingest = await start('ingest-api');
    const [doomed] = await Promise.all([start('projector'), start('projector')]);
    for (const projection of ['postgres', 'clickhouse']) {
      await expectEventually(async () => expect((await assignment(projection)).sort()).toEqual([6, 6]), 30_000, 200);
    }

    const half = Math.floor(events.length / 2);
    let accepted = await post(ingest.url, events.slice(0, half));
    // Kill one projector while it projects: a projection part-way through the first half. The
    // second half arrives while it is gone, so both projections redo whatever it had not committed.
    const atKill = await expectEventually(async () => {
      const s = await status(ingest.url);
      expect(s.projections.some((p: { processed: number; lag: number }) => p.processed > 0 && p.lag > 0)).toBe(true);
      return s;
    }, 30_000, 5);
    await doomed.stop('SIGKILL');
    for (let i = half; i < events.length; i += 5000) accepted += await post(ingest.url, events.slice(i, Math.min(i + 5000, events.length)));
    expect(accepted).toBe(events.length);
    await start('projector');

    await expectEventually(async () => {
      const s = await status(ingest.url);
      expect(s.accepted).toBe(events.length);
      for (const p of s.projections) expect(p).toMatchObject({ processed: events.length, lag: 0 });
    }, 120_000, 250);
    for (const projection of ['postgres', 'clickhouse']) expect((await assignment(projection)).sort()).toEqual([6, 6]);

    // PostgreSQL: one row per event, and the same current state as applying the stream once.
    const pool = new Pool({ connectionString: db.schemaUrl, max: 2 });
    const expected = await openReadModel({ url: reference.url, schema: reference.schema, poolSize: 2 });
    try {
      const { rows } = await pool.query(`SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS ids FROM subject_events`);
      expect(rows[0]).toEqual({ n: events.length, ids: events.length });
      for (let i = 0; i < events.length; i += 2000) await expected.transaction((em) => applyReadModels(em, events.slice(i, i + 2000)));
      expect(await dumpPostgres(pool)).toEqual(await dumpPostgres(expected));
    } finally {
      await expected.destroy();
      await pool.end();
    }

    // ClickHouse: deduplicated, every table holds exactly the facts of the stream.
    const facts = await EmbeddedClickHouse.open(dir, { database: 'funnel' });
    try {
      expect(await factCounts(facts)).toEqual(expectedFactCounts(events));
    } finally {
      await facts.close();
    }

    // Nothing was mistaken for a poison event on the way (a deadlock between the two is retried).
    const dlq = (await kafka.admin.listTopics()).includes(`${kafka.topic}.dlq`)
      ? await kafka.admin.fetchTopicOffsets(`${kafka.topic}.dlq`)
      : [];
    expect(dlq.reduce((n, p) => n + Number(p.high), 0)).toBe(0);
    expect(atKill.accepted).toBe(half);
  }, 240_000);
});
