import { deadLetterCounts, openReadModel } from '@funnel/persistence';
import { funnelEventBuilder, realPostgresSchema, testKafka, type TestDatabase, type TestKafka } from '@funnel/testing';
import type { KafkaMessage } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { KafkaDeadLetterStore, type DeadLetterEnvelope } from './kafka-dead-letter.store';
import { PostgresDeadLetterStore } from './postgres-dead-letter.store';

describe('KafkaDeadLetterStore on a Kafka broker', () => {
  const b = funnelEventBuilder('kdl');
  const at = '2026-03-02T10:15:00.000Z';
  let kafka: TestKafka;
  let db: TestDatabase;
  let ds: DataSource;
  let store: KafkaDeadLetterStore;

  beforeAll(async () => {
    kafka = await testKafka();
    db = await realPostgresSchema('kdl');
    ds = await openReadModel({ url: db.url, schema: db.schema, poolSize: 2 });
    store = new KafkaDeadLetterStore(kafka.kafka, kafka.topic, new PostgresDeadLetterStore(ds));
  });
  afterAll(async () => {
    await store?.close();
    await kafka?.close();
    await ds?.destroy();
    await db?.close();
  });

  /** Every message on the dead-letter topic, in order. */
  async function dlqMessages(): Promise<KafkaMessage[]> {
    const [{ high }] = await kafka.admin.fetchTopicOffsets(store.topic);
    const seen: KafkaMessage[] = [];
    if (Number(high) === 0) return seen;
    const consumer = kafka.kafka.consumer({ groupId: `${kafka.topic}.inspect.${Date.now()}`, maxWaitTimeInMs: 200 });
    await consumer.connect();
    await consumer.subscribe({ topics: [store.topic], fromBeginning: true });
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          seen.push(message);
          if (Number(message.offset) + 1 >= Number(high)) resolve();
        },
      });
    });
    await consumer.disconnect();
    return seen;
  }

  it('replays nothing, quickly, before any event was dead-lettered', async () => {
    expect(await store.replay('postgres', async () => undefined)).toEqual({ replayed: 0, failed: 0 });
  });

  it('publishes each letter with its error and log coordinates, in the value and as headers', async () => {
    const event = b.stage('L-1', at, 'MQL');
    await store.put('postgres', { position: '4:17', event }, 'column "lead_id" violates not-null');
    const [message] = await dlqMessages();
    const letter = JSON.parse(String(message.value)) as DeadLetterEnvelope;
    expect(letter).toEqual({
      projection: 'postgres',
      error: 'column "lead_id" violates not-null',
      topic: kafka.topic,
      partition: 4,
      offset: '17',
      failedAt: expect.any(String),
      event,
    });
    expect(Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]))).toEqual({
      'dlq-projection': 'postgres',
      'dlq-error': 'column "lead_id" violates not-null',
      'dlq-topic': kafka.topic,
      'dlq-partition': '4',
      'dlq-offset': '17',
      'event-id': event.id,
    });
    expect(String(message.key)).toBe(event.id);
  });

  it("replays a projection's letters once, and publishes anew the ones that fail again", async () => {
    const fixed = b.scored('L-2', at, 40);
    const stillBad = b.scored('L-3', at, 50);
    const forClickHouse = b.scored('L-4', at, 60);
    await store.put('postgres', { position: '1:5', event: fixed }, 'deadlock detected');
    await store.put('clickhouse', { position: '2:6', event: forClickHouse }, 'table is missing');
    await store.put('postgres', { position: '3:7', event: stillBad }, 'boom');

    const offered: string[] = [];
    const first = await store.replay('postgres', async (record) => {
      offered.push(`${record.position}:${record.event.id}`);
      if (record.event.id === stillBad.id) throw new Error('still boom');
    });
    // The letter of the first test is for postgres too, and succeeds now.
    expect(first).toEqual({ replayed: 2, failed: 1 });
    expect(offered.slice(1)).toEqual([`1:5:${fixed.id}`, `3:7:${stillBad.id}`]);

    const again = (await dlqMessages()).map((m) => JSON.parse(String(m.value)) as DeadLetterEnvelope).pop();
    expect(again).toMatchObject({ projection: 'postgres', error: 'still boom', partition: 3, offset: '7', event: stillBad });

    // The next postgres replay sees only that one; the clickhouse letter waits for its own replay.
    const second: string[] = [];
    expect(await store.replay('postgres', async (record) => void second.push(record.event.id))).toEqual({ replayed: 1, failed: 0 });
    expect(second).toEqual([stillBad.id]);
    expect(await store.replay('postgres', async () => undefined)).toEqual({ replayed: 0, failed: 0 });
    const clickhouse: string[] = [];
    expect(await store.replay('clickhouse', async (record) => void clickhouse.push(record.event.id))).toEqual({ replayed: 1, failed: 0 });
    expect(clickhouse).toEqual([forClickHouse.id]);
  });

  it('keeps a row per letter in dead_letters, so status and metrics count them as with the PostgreSQL log', async () => {
    // Four letters were put above (one postgres letter failed once more); all are replayed by now.
    expect(await deadLetterCounts(ds)).toEqual(
      new Map([
        ['postgres', { recorded: 3, pending: 0 }],
        ['clickhouse', { recorded: 1, pending: 0 }],
      ]),
    );
    await store.put('clickhouse', { position: '0:1', event: b.stage('L-5', at, 'SQL') }, 'nul \u0000 in the error');
    expect((await deadLetterCounts(ds)).get('clickhouse')).toEqual({ recorded: 2, pending: 1 });
    // Leave nothing pending for the listing test below.
    expect(await store.replay('clickhouse', async () => undefined)).toEqual({ replayed: 1, failed: 0 });
  });

  it('lists what a replay would offer, per projection or all, without moving the replay groups', async () => {
    // Every letter so far was replayed by the test above; these are the only pending ones.
    const again = b.scored('L-5', at, 20);
    const other = b.scored('L-6', at, 30);
    await store.put('postgres', { position: '5:9', event: again }, 'deadlock detected');
    await store.put('clickhouse', { position: '6:1', event: other }, 'table is missing');

    expect(await store.list('postgres')).toEqual([
      { projection: 'postgres', position: '5:9', error: 'deadlock detected', failedAt: expect.any(String), event: again },
    ]);
    expect((await store.list()).map((l) => [l.projection, l.event.id])).toEqual([
      ['postgres', again.id],
      ['clickhouse', other.id],
    ]);
    // Listing moved nothing: the replay still takes the letter, and then nothing is pending.
    expect(await store.replay('postgres', async () => undefined)).toEqual({ replayed: 1, failed: 0 });
    expect(await store.list('postgres')).toEqual([]);
    const groups = (await kafka.admin.listGroups()).groups.map((g) => g.groupId);
    expect(groups.filter((g) => g.startsWith(`${store.topic}.list.`))).toEqual([]);
  });
});
