import { EmbeddedClickHouse } from '@funnel/clickhouse';
import {
  expectEventually,
  funnelEventBuilder,
  realPostgresSchema,
  runCommand,
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
import type { DeadLetterEnvelope } from '../apps/projector/src/dead-letters/kafka-dead-letter.store';

/**
 * Poison events on the Kafka log: written to the topic behind ingest's back (ingest would reject
 * them), they go to `<topic>.dlq` with their error and coordinates while the events after them,
 * in the same partition, still project; `dead-letters:replay` applies them once the cause is fixed.
 */
describe('dead letters on the Kafka log', () => {
  const dir = mkdtempSync(join(tmpdir(), 'funnel-dlq-'));
  const b = funnelEventBuilder('dlq');
  const at = '2026-03-02T10:15:00.000Z';
  // One subject, so one partition: the poison sits between events that must still project.
  const before = b.captured('L-p', at);
  const unknownType = { id: 'dlq-poison', type: 'LeadTeleported', occurredAt: at, schemaVersion: 1, data: { leadId: 'L-p' } };
  const scored = b.scored('L-p', '2026-03-03T00:00:00.000Z', 71);
  const after = b.stage('L-p', '2026-03-04T00:00:00.000Z', 'MQL');
  let shim: ChdbHttpServer;
  let facts: EmbeddedClickHouse;
  let db: TestDatabase;
  let kafka: TestKafka;
  let env: Record<string, string>;
  let projector: SpawnedApp | undefined;

  beforeAll(async () => {
    shim = await startChdbHttpServer({ dataDir: dir });
    facts = await EmbeddedClickHouse.open(dir, { database: 'funnel' });
    db = await realPostgresSchema('dlq');
    kafka = await testKafka();
    env = kafkaModeEnv(kafka, db.schemaUrl as string, `${shim.url}/funnel`);
  });
  afterAll(async () => {
    await projector?.stop();
    await facts?.close();
    await shim?.close();
    await kafka?.close();
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const letters = async (): Promise<DeadLetterEnvelope[]> => {
    const topic = `${kafka.topic}.dlq`;
    const [{ high }] = await kafka.admin.fetchTopicOffsets(topic);
    const seen: DeadLetterEnvelope[] = [];
    const consumer = kafka.kafka.consumer({ groupId: `${kafka.topic}.inspect.${Date.now()}`, maxWaitTimeInMs: 200 });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          seen.push(JSON.parse(String(message.value)) as DeadLetterEnvelope);
          if (Number(message.offset) + 1 >= Number(high)) resolve();
        },
      });
    });
    await consumer.disconnect();
    return seen;
  };

  it('parks poison events on the dead-letter topic, keeps projecting, and replays them after a fix', async () => {
    projector = await spawnApp('projector', env);
    // A store problem that makes one kind of event fail every time: ClickHouse lost a table.
    const [{ statement: createScores }] = await facts.query<{ statement: string }>('SHOW CREATE TABLE lead_scores');
    await facts.command('DROP TABLE lead_scores');

    const producer = kafka.kafka.producer();
    await producer.connect();
    const [sent] = await producer.send({
      topic: kafka.topic,
      messages: [...[before, unknownType, scored].map((e) => JSON.stringify(e)), 'not json {', JSON.stringify(after)].map((value) => ({ key: 'L-p', value })),
    });
    await producer.disconnect();

    const pool = new Pool({ connectionString: db.schemaUrl, max: 1 });
    try {
      await expectEventually(async () => {
        const health = (await (await fetch(`${projector?.url}/health`)).json()) as { status: string };
        expect(health.status).toBe('ok');
        const { rows } = await pool.query(`SELECT current_stage, score FROM leads WHERE lead_id = 'L-p'`);
        expect(rows).toEqual([{ current_stage: 'MQL', score: 71 }]);
        const [row] = await facts.query<{ n: string }>(`SELECT count() AS n FROM lead_stage_entries FINAL WHERE lead_id = 'L-p'`);
        expect(row.n).toBe('1');
      }, 30_000, 100);
    } finally {
      await pool.end();
    }

    // The unknown type and the bytes that are not JSON fail both projections; the score fails only ClickHouse.
    const offset = (n: number) => String(Number(sent.baseOffset) + n);
    const garbage = `undecodable:${sent.partition}:${offset(3)}`;
    const parked = await expectEventually(async () => {
      const all = await letters();
      expect(all).toHaveLength(5);
      return all;
    }, 15_000, 100);
    const key = (l: DeadLetterEnvelope) => `${l.projection}:${l.event.id}`;
    expect(parked.map(key).sort()).toEqual(
      [`clickhouse:${scored.id}`, 'clickhouse:dlq-poison', `clickhouse:${garbage}`, 'postgres:dlq-poison', `postgres:${garbage}`].sort(),
    );
    const offsetOf: Record<string, string> = { [unknownType.id]: offset(1), [scored.id]: offset(2), [garbage]: offset(3) };
    for (const letter of parked) {
      expect(letter).toMatchObject({ topic: kafka.topic, partition: sent.partition, offset: offsetOf[letter.event.id] });
    }
    expect(parked.find((l) => l.event.id === scored.id)?.error).toMatch(/lead_scores/);
    expect(parked.find((l) => l.projection === 'postgres' && l.event.id === unknownType.id)?.error).toMatch(/LeadTeleported/);
    expect(parked.find((l) => l.event.id === garbage)?.event.data).toEqual({ value: 'not json {' });

    const metrics = await (await fetch(`${projector.url}/metrics`)).text();
    expect(metrics).toMatch(/funnel_projection_dead_letters_total\{projection="postgres"\} 2\b/);
    expect(metrics).toMatch(/funnel_projection_dead_letters_total\{projection="clickhouse"\} 3\b/);

    // The fix, then the replay: the score is applied; the other two fail again and stay parked.
    await facts.command(createScores);
    const replay = await runCommand('dead-letters:replay', ['--projection', 'clickhouse'], env);
    expect(replay.output).toContain('clickhouse: replayed 1 dead letter(s); 2 failed again');
    expect(replay.code).toBe(1);
    const [row] = await facts.query<{ score: number }>(`SELECT score FROM lead_scores FINAL WHERE event_id = {id:String}`, { id: scored.id });
    expect(row).toEqual({ score: 71 });
    const republished = (await letters()).slice(5);
    expect(republished.map(key).sort()).toEqual(['clickhouse:dlq-poison', `clickhouse:${garbage}`].sort());
    expect(republished.find((l) => l.event.id === unknownType.id)).toMatchObject({ offset: offset(1), event: unknownType });

    // `funnel dead-letters list` reads the topic: for clickhouse only the two that failed again are pending.
    const listed = await runCommand('funnel', ['dead-letters', 'list'], env);
    expect(listed.code).toBe(0);
    const pending = listed.output.match(/^(postgres|clickhouse) +\d+:\d+ +\S+/gm)?.map((l) => l.replace(/ +\d+:\d+ +/, ':')).sort();
    expect(pending).toEqual(['clickhouse:dlq-poison', `clickhouse:${garbage}`, 'postgres:dlq-poison', `postgres:${garbage}`].sort());

    // A second replay finds only the ones that failed again.
    const again = await runCommand('dead-letters:replay', ['--projection', 'clickhouse'], env);
    expect(again.output).toContain('clickhouse: replayed 0 dead letter(s); 2 failed again');
  }, 90_000);
});
