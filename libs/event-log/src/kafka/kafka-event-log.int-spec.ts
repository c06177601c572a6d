import type { FunnelEvent } from '@funnel/contracts';
import { ConfigResourceTypes, Kafka, KafkaJSNonRetriableError, logLevel, type Admin, type Consumer } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';
import { expectEventually } from '../../../testing/src/expect-eventually';
import { firstIdWinsEvents, stageChanged } from '../../../testing/src/event-log-fixtures';
import type { BatchHandler, LogRecord } from '../event-log.port';
import { migrateEventLog } from '../postgres/event-log.migrations';
import { KafkaEventLog, type KafkaEventLogOptions } from './kafka-event-log.adapter';

// A real broker (`npm run infra:up`, or the jest global setup test/kafka.global-setup.ts) and the
// machine's PostgreSQL, which holds the id reservations first-id-wins goes through.
const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((broker) => broker.trim());
const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
// Every topic and group of this run starts with it, so runs on one broker never see each other.
const RUN = `${process.env.KAFKA_TEST_TOPIC_PREFIX ?? 'funnel.events.test'}.${randomBytes(4).toString('hex')}`;

// Java's murmur2 partition of these keys for 12 partitions, computed with kafka-clients 4.4.0
// (Utils.toPositive(Utils.murmur2(key)) % 12): a Java producer puts these subjects exactly there.
const JAVA_PARTITION_OF: Record<string, number> = { 'L-1': 6, 'L-3': 11, 'L-5': 5, 'L-42': 4, 'O-1': 3, 'C-1': 11 };

const AT = '2026-03-02T10:15:00.000Z';

/** `count` events of one lead: one subject, so one partition and one deterministic order. */
function leadEvents(prefix: string, count: number, leadId = `L-${prefix}`): FunnelEvent[] {
  return Array.from({ length: count }, (_, i) => stageChanged(`${prefix}-${i}`, leadId));
}

function collector(): { handler: BatchHandler; batches: LogRecord[][]; ids: () => string[] } {
  const batches: LogRecord[][] = [];
  return {
    batches,
    handler: async (records) => {
      batches.push([...records]);
    },
    ids: () => batches.flat().map((record) => record.event.id),
  };
}

function partitionOf(record: LogRecord): number {
  return Number(record.position.split(':')[0]);
}

function offsetOf(record: LogRecord): number {
  return Number(record.position.split(':')[1]);
}

const sorted = (ids: readonly string[]): string[] => [...ids].sort();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('KafkaEventLog on a Kafka broker', () => {
  const logger = { warn: jest.fn(), error: jest.fn() };
  let kafka: Kafka;
  let admin: Admin;
  let database: Client;
  let pool: Pool;
  let schema: string;
  let topic: string;
  let topicCount = 0;
  const topics: string[] = [];
  const groups = new Set<string>();
  const logs: KafkaEventLog[] = [];

  // An unreachable broker or database fails here, in beforeAll, and so fails every test.
  beforeAll(async () => {
    // Few retries for the reachability check only: a missing broker fails in seconds, not minutes.
    const probe = new Kafka({ brokers: BROKERS, logLevel: logLevel.NOTHING, retry: { retries: 2 } }).admin();
    await probe.connect().catch((error: Error) => {
      throw new Error(`Kafka is not reachable at ${BROKERS.join(',')} (${error.message}); start it with \`npm run infra:up\``);
    });
    await probe.disconnect();
    kafka = new Kafka({ clientId: 'event-log-int-spec', brokers: BROKERS, logLevel: logLevel.ERROR });
    admin = kafka.admin();
    await admin.connect();

    schema = `el_kafka_${randomBytes(5).toString('hex')}`;
    database = new Client({ connectionString: DATABASE_URL });
    await database.connect();
    await database.query(`CREATE SCHEMA ${schema}`);
    pool = new Pool({ connectionString: DATABASE_URL, options: `-c search_path=${schema}`, max: 4 });
    await migrateEventLog(pool);
  });

  afterAll(async () => {
    // Deleting a topic also drops the offsets any group committed on it.
    const existing = new Set((await admin?.listTopics()) ?? []);
    const ours = topics.filter((name) => existing.has(name));
    if (ours.length > 0) await admin.deleteTopics({ topics: ours, timeout: 10_000 });
    // Their offsets went with the topics; the empty groups would linger until the broker's periodic cleanup.
    await admin?.deleteGroups([...groups]).catch(() => undefined);
    await admin?.disconnect();
    await pool?.end();
    if (schema) await database?.query(`DROP SCHEMA ${schema} CASCADE`);
    await database?.end();
  });

  // A topic per test: counts, offsets and partitions then start from zero.
  beforeEach(async () => {
    jest.clearAllMocks();
    topic = `${RUN}.${++topicCount}`;
    topics.push(topic);
    await pool.query('TRUNCATE ingested_event_ids');
  });

  afterEach(async () => {
    await Promise.all(logs.splice(0).map((log) => log.close()));
  });

  function newLog(options: KafkaEventLogOptions = {}, client = kafka): KafkaEventLog {
    const log = new KafkaEventLog(client, pool, {
      topic,
      logger,
      retryBackoff: { initialMs: 5, maxMs: 20 },
      ...options,
    });
    logs.push(log);
    return log;
  }

  /**
   * A real client whose first consumer pauses the topic once it runs: it stays in the group and
   * heartbeats, and never fetches again, with no error or crash to tell. Every consumer it makes
   * goes into `consumers`; `replacement` may change the ones after the first.
   */
  function stallingClient(consumers: Consumer[], replacement: (consumer: Consumer) => void = () => undefined): Kafka {
    const client = Object.create(kafka) as Kafka;
    client.consumer = (config) => {
      const consumer = kafka.consumer(config);
      consumers.push(consumer);
      if (consumers.length > 1) {
        replacement(consumer);
        return consumer;
      }
      const run = consumer.run.bind(consumer);
      consumer.run = async (runConfig) => {
        await run(runConfig);
        consumer.pause([{ topic }]);
      };
      return consumer;
    };
    return client;
  }

  /**
   * A consumer name of this run. Its group is `<topic>.<name>` (KafkaEventLog.groupIdOf), kept so
   * that a broker outliving the run keeps no stale offsets for it.
   */
  const group = (name: string): string => {
    groups.add(`${topic}.${RUN}.${name}`);
    return `${RUN}.${name}`;
  };

  it('creates its topic with 12 partitions and appends with first id wins, whatever the payload', async () => {
    const log = newLog();
    const { first, second, third } = firstIdWinsEvents();

    expect(await log.append([first, second, stageChanged('a', 'L-other')])).toEqual({ accepted: ['a', 'b'], duplicates: ['a'] });
    expect(await log.append([stageChanged('b'), third, stageChanged('c', 'L-again')])).toEqual({
      accepted: ['c'],
      duplicates: ['b', 'c'],
    });
    expect(await log.append([])).toEqual({ accepted: [], duplicates: [] });

    const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
    expect(metadata.partitions).toHaveLength(12);
    // The log is the source of truth: the broker's default 7-day retention must not apply to it.
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['retention.ms', 'retention.bytes'] }],
    });
    expect(Object.fromEntries(resources[0].configEntries.map((c) => [c.configName, c.configValue]))).toEqual({ 'retention.ms': '-1', 'retention.bytes': '-1' });
    expect(await log.acceptedCount()).toBe(3);
    const { rows } = await pool.query<{ event_id: string }>('SELECT event_id FROM ingested_event_ids ORDER BY event_id');
    expect(rows.map((row) => row.event_id)).toEqual(['a', 'b', 'c']);

    // What went into the log is the first payload of each id, unchanged.
    const seen = collector();
    await log.subscribe(group('reader'), seen.handler);
    await expectEventually(() => expect(seen.ids()).toHaveLength(3), 15_000);
    const byId = new Map(seen.batches.flat().map((record) => [record.event.id, record.event]));
    expect(byId).toEqual(new Map([['a', first], ['b', second], ['c', third]]));
  });

  it('carries the request id and writer of an append in headers, leaving the event as it was', async () => {
    const log = newLog();
    await log.append([stageChanged('r1')], { requestId: 'req-1', writer: 'crm' });
    await log.append([stageChanged('r2')]);

    const seen = collector();
    await log.subscribe(group('request-ids'), seen.handler);
    await expectEventually(() => expect(seen.ids()).toHaveLength(2), 15_000);
    const records = new Map(seen.batches.flat().map((record) => [record.event.id, record]));
    expect(records.get('r1')).toMatchObject({ event: stageChanged('r1'), requestId: 'req-1', writer: 'crm' });
    expect(records.get('r2')?.requestId).toBeUndefined();
    expect(records.get('r2')?.writer).toBeUndefined();
    expect(records.get('r2')?.event).toEqual(stageChanged('r2'));
  });

  it('releases the ids of a send that failed, so the client can retry them', async () => {
    // A client that gives up fast, so the failure takes a moment rather than kafkajs's retries.
    const impatient = new Kafka({ brokers: BROKERS, logLevel: logLevel.NOTHING, retry: { retries: 1, initialRetryTime: 50 } });
    const log = newLog({}, impatient);
    expect(await log.acceptedCount()).toBe(0);
    // The topic vanishes after the log connected; the send then fails (no auto-creation).
    await admin.deleteTopics({ topics: [topic], timeout: 10_000 });

    await expect(log.append([stageChanged('lost-1'), stageChanged('lost-2')])).rejects.toThrow();
    const { rows } = await pool.query('SELECT event_id FROM ingested_event_ids');
    expect(rows).toEqual([]);

    // A fresh log creates the topic again, and the retried events are accepted, not duplicates.
    const retry = newLog();
    expect(await retry.append([stageChanged('lost-1'), stageChanged('lost-2')])).toEqual({
      accepted: ['lost-1', 'lost-2'],
      duplicates: [],
    });
  });

  it('keys each event by its subject: one partition per subject, the one Java would pick, in append order', async () => {
    const log = newLog();
    const subjects: FunnelEvent[][] = [
      leadEvents('k1', 4, 'L-1'),
      leadEvents('k3', 4, 'L-3'),
      leadEvents('k5', 4, 'L-5'),
      leadEvents('k42', 4, 'L-42'),
      [
        { id: 'o-0', type: 'OpportunityCreated', occurredAt: AT, schemaVersion: 1, data: { opportunityId: 'O-1', amount: 10 } },
        { id: 'o-1', type: 'OpportunityWon', occurredAt: AT, schemaVersion: 1, data: { opportunityId: 'O-1' } },
      ],
      [
        {
          id: 'c-0',
          type: 'CampaignLaunched',
          occurredAt: AT,
          schemaVersion: 1,
          data: { campaignId: 'C-1', name: 'Spring', channel: 'paid_search' },
        },
      ],
    ];
    // Interleaved across subjects, in two appends.
    const interleaved = [0, 1, 2, 3].flatMap((i) =>
      subjects.map((events) => events[i]).filter((event) => event !== undefined),
    );
    await log.append(interleaved.slice(0, 9));
    await log.append(interleaved.slice(9));

    const seen = collector();
    await log.subscribe(group('keys'), seen.handler);
    await expectEventually(() => expect(seen.ids()).toHaveLength(interleaved.length), 15_000);

    const records = seen.batches.flat();
    const subjectOfRecord = (record: LogRecord): string => {
      const data = record.event.data as { leadId?: string; opportunityId?: string; campaignId?: string };
      return data.leadId ?? data.opportunityId ?? data.campaignId ?? '?';
    };
    for (const [subject, partition] of Object.entries(JAVA_PARTITION_OF)) {
      const ofSubject = records.filter((record) => subjectOfRecord(record) === subject);
      expect(ofSubject.map(partitionOf)).toEqual(ofSubject.map(() => partition));
      // Within its partition a subject's events come back in the order they were appended.
      const appendedOrder = interleaved.filter((event) => ofSubject.some((record) => record.event.id === event.id));
      expect([...ofSubject].sort((x, y) => offsetOf(x) - offsetOf(y)).map((record) => record.event.id)).toEqual(
        appendedOrder.map((event) => event.id),
      );
    }
    // Subjects do spread: the key, not a constant, decides.
    expect(new Set(records.map(partitionOf)).size).toBe(5);
  });

  it('delivers every event once, in batches of at most batchSize, and a restart resumes after the last commit', async () => {
    const log = newLog({ batchSize: 10 });
    const appended = [...leadEvents('x', 25, 'L-1'), ...leadEvents('y', 7, 'L-3')];
    await log.append(appended);

    const first = collector();
    const subscription = await log.subscribe(group('projector'), first.handler);
    await expectEventually(() => expect(sorted(first.ids())).toEqual(sorted(appended.map((event) => event.id))), 15_000);
    expect(first.batches.every((batch) => batch.length >= 1 && batch.length <= 10)).toBe(true);
    // One subject's 25 events: batches of 10, 10, 5 in log order.
    expect(first.batches.flat().filter((record) => partitionOf(record) === 6).map((record) => record.event.id)).toEqual(
      appended.slice(0, 25).map((event) => event.id),
    );

    const more = leadEvents('z', 3, 'L-5');
    await log.append(more);
    await expectEventually(() => expect(first.ids()).toHaveLength(35), 15_000);
    await expectEventually(async () =>
      expect(await log.progress(group('projector'))).toEqual({ name: group('projector'), processed: 35, lag: 0 }),
    );
    await subscription.stop();

    // Committed batches are not delivered again: the next member starts where this one stopped.
    const later = leadEvents('w', 2, 'L-42');
    await log.append(later);
    const second = collector();
    await log.subscribe(group('projector'), second.handler);
    await expectEventually(() => expect(second.ids()).toEqual(['w-0', 'w-1']), 15_000);
    expect(first.ids()).toHaveLength(35);
  });

  it('gives a consumer the smaller batches it asks for, and never more than the log allows', async () => {
    const log = newLog({ batchSize: 10 });
    const appended = [...leadEvents('s', 25, 'L-1'), ...leadEvents('t', 9, 'L-3')];
    await log.append(appended);
    const small = collector();
    const greedy = collector();
    await log.subscribe(group('small'), small.handler, { batchSize: 3 });
    await log.subscribe(group('greedy'), greedy.handler, { batchSize: 1_000 });

    const ids = sorted(appended.map((event) => event.id));
    await expectEventually(() => expect(sorted(small.ids())).toEqual(ids), 15_000);
    await expectEventually(() => expect(sorted(greedy.ids())).toEqual(ids), 15_000);
    expect(Math.max(...small.batches.map((batch) => batch.length))).toBe(3);
    expect(Math.max(...greedy.batches.map((batch) => batch.length))).toBe(10);
  });

  it('does not commit while the handler fails, and redelivers the same records until it succeeds', async () => {
    const log = newLog();
    await log.append(leadEvents('e', 4, 'L-1'));
    const deliveries: string[][] = [];
    const processedWhileFailing: number[] = [];
    await log.subscribe(group('flaky'), async (records) => {
      deliveries.push(records.map((record) => record.event.id));
      if (deliveries.length <= 3) {
        processedWhileFailing.push((await log.progress(group('flaky'))).processed);
        throw new TypeError('read model unavailable');
      }
    });

    await expectEventually(
      async () => expect(await log.progress(group('flaky'))).toEqual({ name: group('flaky'), processed: 4, lag: 0 }),
      15_000,
    );
    expect(deliveries).toEqual(Array.from({ length: 4 }, () => ['e-0', 'e-1', 'e-2', 'e-3']));
    expect(processedWhileFailing).toEqual([0, 0, 0]);
    expect(logger.error).toHaveBeenCalledTimes(3);
    expect(logger.error.mock.calls[0][0]).toMatch(/failed a batch at 6:0 \(attempt 1\).*read model unavailable/);
  });

  it('replaces a consumer kafkajs gave up on (a crash it does not restart), and goes on from the committed offsets', async () => {
    // A real client whose first consumer crashes once with an error kafkajs deems unrecoverable:
    // kafkajs then emits CRASH with restart: false and never fetches again on that consumer.
    let crashes = 0;
    const crashing = Object.create(kafka) as Kafka;
    crashing.consumer = (config) => {
      const consumer = kafka.consumer(config);
      const run = consumer.run.bind(consumer);
      consumer.run = (runConfig) =>
        run({
          ...runConfig,
          eachBatch: async (payload) => {
            if (crashes++ === 0) throw new KafkaJSNonRetriableError('injected: not retriable');
            return runConfig?.eachBatch?.(payload);
          },
        });
      return consumer;
    };
    const log = newLog({}, crashing);
    await log.append(leadEvents('k', 3, 'L-1'));
    const seen = collector();
    await log.subscribe(group('crash'), seen.handler);

    await expectEventually(
      async () => expect(await log.progress(group('crash'))).toEqual({ name: group('crash'), processed: 3, lag: 0 }),
      30_000,
    );
    expect(sorted(seen.ids())).toEqual(['k-0', 'k-1', 'k-2']);
    expect(logger.error).toHaveBeenCalledWith(expect.stringMatching(/Consumer ".*crash" stopped on .*injected: not retriable.*; starting a new one/));
  });

  it('replaces a consumer that stays behind the log with nothing handled (a stall nothing signals), and goes on from the committed offsets', async () => {
    const consumers: Consumer[] = [];
    const log = newLog({ stallMs: 1_500 }, stallingClient(consumers));
    const seen = collector();
    await log.subscribe(group('stall'), seen.handler);
    await log.append(leadEvents('s', 3, 'L-1'));

    await expectEventually(
      async () => expect(await log.progress(group('stall'))).toEqual({ name: group('stall'), processed: 3, lag: 0 }),
      60_000,
    );
    expect(sorted(seen.ids())).toEqual(['s-0', 's-1', 's-2']);
    expect(consumers).toHaveLength(2);
    expect(logger.error).toHaveBeenCalledWith(expect.stringMatching(/Consumer ".*stall" has been 3 behind for \d+ s with nothing handled; starting a new one/));
  }, 90_000);

  it('stop() during a replacement waits for the new consumer, and leaves no member in the group', async () => {
    // The first consumer stalls; its replacement takes two seconds to connect.
    const consumers: Consumer[] = [];
    const slowReplacement = (consumer: Consumer) => {
      const connect = consumer.connect.bind(consumer);
      consumer.connect = async () => {
        await sleep(2_000);
        await connect();
      };
    };
    const log = newLog({ stallMs: 1_000 }, stallingClient(consumers, slowReplacement));
    const subscription = await log.subscribe(group('replacing'), collector().handler);
    await log.append(leadEvents('r', 2, 'L-1'));
    await expectEventually(async () => expect(consumers).toHaveLength(2), 30_000, 50);

    await subscription.stop();
    const [description] = (await admin.describeGroups([`${topic}.${group('replacing')}`])).groups;
    expect(description.members).toEqual([]);
  }, 60_000);

  it('leaves a consumer alone while it is caught up, or while its handler is still retrying a batch', async () => {
    let failing = true;
    const consumers: Consumer[] = [];
    const counting = Object.create(kafka) as Kafka;
    counting.consumer = (config) => {
      const consumer = kafka.consumer(config);
      consumers.push(consumer);
      return consumer;
    };
    const log = newLog({ stallMs: 500, retryBackoff: { initialMs: 100, maxMs: 100 } }, counting);
    const seen = collector();
    await log.subscribe(group('busy'), async (records) => {
      if (failing) throw new Error('injected: the read model is away');
      await seen.handler(records);
    });
    await sleep(1_500);
    await log.append(leadEvents('b', 2, 'L-1'));
    await sleep(2_500);
    failing = false;
    await expectEventually(async () => expect(await log.progress(group('busy'))).toMatchObject({ processed: 2, lag: 0 }), 30_000);
    expect(consumers).toHaveLength(1);
    expect(logger.error).not.toHaveBeenCalledWith(expect.stringMatching(/with nothing handled/));
  }, 60_000);

  it("does not take another member's lag for its own: a member caught up on its partitions is left alone", async () => {
    const healthy = newLog({ stallMs: 500 });
    const stuck = newLog({ stallMs: 500, retryBackoff: { initialMs: 100, maxMs: 100 } });
    const seen = collector();
    await healthy.subscribe(group('members'), seen.handler);
    await stuck.subscribe(group('members'), async () => {
      throw new Error('injected: this member cannot write');
    });
    await sleep(3_000); // the rebalance that shares the partitions between the two
    await healthy.append(Array.from({ length: 24 }, (_, i) => stageChanged(`m-${i}`, `L-${i}`)));
    await expectEventually(async () => expect(seen.ids().length).toBeGreaterThan(0), 30_000);
    await sleep(3_000);
    expect((await healthy.progress(group('members'))).lag).toBeGreaterThan(0);
    expect(logger.error).not.toHaveBeenCalledWith(expect.stringMatching(/with nothing handled/));
  }, 60_000);

  it('hands on bytes that are not JSON as a record no projection can apply, instead of stalling the partition', async () => {
    const log = newLog();
    await log.append([stageChanged('u-0', 'L-1')]);
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'L-1', value: 'not json {' }] });
    await producer.disconnect();
    await log.append([stageChanged('u-1', 'L-1')]);

    const seen = collector();
    await log.subscribe(group('undecodable'), seen.handler);
    await expectEventually(() => expect(seen.ids()).toEqual(['u-0', 'undecodable:6:1', 'u-1']), 15_000);
    expect(seen.batches.flat()[1]).toMatchObject({ position: '6:1', event: { type: 'Undecodable', data: { value: 'not json {' } } });
  });

  it('reports progress and lag from committed offsets and high watermarks', async () => {
    const log = newLog();
    await log.append([...leadEvents('p', 6, 'L-1'), ...leadEvents('q', 4, 'L-3')]);
    expect(await log.progress(group('reporting'))).toEqual({ name: group('reporting'), processed: 0, lag: 10 });

    const subscription = await log.subscribe(group('reporting'), collector().handler);
    await expectEventually(
      async () => expect(await log.progress(group('reporting'))).toEqual({ name: group('reporting'), processed: 10, lag: 0 }),
      15_000,
    );
    await subscription.stop();

    await log.append([...leadEvents('r', 5, 'L-5'), stageChanged('p-0', 'L-1')]);
    expect(await log.acceptedCount()).toBe(15);
    expect(await log.progress(group('reporting'))).toEqual({ name: group('reporting'), processed: 10, lag: 5 });
    expect(await log.progress(group('never-ran'))).toEqual({ name: group('never-ran'), processed: 0, lag: 15 });
  });

  it('replays the whole log after resetConsumer, and refuses to reset a running consumer', async () => {
    const log = newLog();
    const appended = [...leadEvents('r', 3, 'L-1'), ...leadEvents('s', 2, 'L-3')];
    await log.append(appended);

    const firstRun = collector();
    const first = await log.subscribe(group('rebuild'), firstRun.handler);
    await expectEventually(() => expect(firstRun.ids()).toHaveLength(5), 15_000);
    await expect(log.resetConsumer(group('rebuild'))).rejects.toThrow(/is subscribed through this log: stop it/);
    // Another process's member is refused by the broker itself.
    await expect(newLog().resetConsumer(group('rebuild'))).rejects.toThrow(/still has live members/);
    await first.stop();

    await log.resetConsumer(group('rebuild'));
    expect(await log.progress(group('rebuild'))).toEqual({ name: group('rebuild'), processed: 0, lag: 5 });
    // Nothing to forget: resolves all the same.
    await log.resetConsumer(group('never-ran'));

    const secondRun = collector();
    await log.subscribe(group('rebuild'), secondRun.handler);
    await expectEventually(() => expect(secondRun.ids()).toHaveLength(5), 15_000);
    const byPosition = (records: LogRecord[]): LogRecord[] => [...records].sort((x, y) => x.position.localeCompare(y.position));
    expect(byPosition(secondRun.batches.flat())).toEqual(byPosition(firstRun.batches.flat()));
    await expectEventually(
      async () => expect(await log.progress(group('rebuild'))).toEqual({ name: group('rebuild'), processed: 5, lag: 0 }),
      15_000,
    );
  });

  it('stop() lets the batch in flight finish and commit, leaves the group, then delivers nothing more', async () => {
    const log = newLog();
    await log.append(leadEvents('s', 3, 'L-1'));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const handlerStarted = new Promise<void>((resolve) => (started = resolve));
    const deliveries: string[][] = [];
    const subscription = await log.subscribe(group('stopping'), async (records) => {
      deliveries.push(records.map((record) => record.event.id));
      started();
      await released;
    });

    await handlerStarted;
    let stopped = false;
    const stopping = subscription.stop().then(() => (stopped = true));
    await sleep(200);
    expect(stopped).toBe(false);

    release();
    await stopping;
    expect(await log.progress(group('stopping'))).toEqual({ name: group('stopping'), processed: 3, lag: 0 });
    // Left the group rather than waiting out its session: no member is left behind.
    const [description] = (await admin.describeGroups([`${topic}.${group('stopping')}`])).groups;
    expect(description).toMatchObject({ state: 'Empty', members: [] });

    await log.append(leadEvents('t', 2, 'L-1'));
    await sleep(500);
    expect(deliveries).toEqual([['s-0', 's-1', 's-2']]);
    await expect(subscription.stop()).resolves.toBeUndefined();
  });

  it('close() stops every subscription and disconnects', async () => {
    const log = newLog();
    await log.append(leadEvents('c', 2, 'L-1'));
    const seen = collector();
    const subscription = await log.subscribe(group('closing'), seen.handler);
    await expectEventually(() => expect(seen.ids()).toHaveLength(2), 15_000);

    await log.close();
    const [description] = (await admin.describeGroups([`${topic}.${group('closing')}`])).groups;
    expect(description).toMatchObject({ state: 'Empty', members: [] });
    await expect(subscription.stop()).resolves.toBeUndefined();
  });
});
