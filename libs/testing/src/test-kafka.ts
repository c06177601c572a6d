import type { Admin, Kafka } from 'kafkajs';
import { randomBytes } from 'node:crypto';

/** The broker of `npm run infra:up` (jest's global setup starts it); override with KAFKA_BROKERS. */
export const TEST_KAFKA_BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim());

export interface TestKafka {
  readonly brokers: readonly string[];
  /** A topic name of this run alone, for KAFKA_TOPIC; the apps create it. */
  readonly topic: string;
  readonly kafka: Kafka;
  /** Connected; disconnected by close(). */
  readonly admin: Admin;
  /** Deletes the run's topics (the log and its dead letters) and its consumer groups. */
  close(): Promise<void>;
}

/**
 * A fresh topic namespace on the real broker (`brokers`: another one, e.g. the fault suite's own).
 * An unreachable broker throws here: a Kafka test must fail, never skip, when its component is missing.
 */
export async function testKafka(prefix = 'funnel.events.test', brokers: readonly string[] = TEST_KAFKA_BROKERS): Promise<TestKafka> {
  const topic = `${prefix}.${randomBytes(4).toString('hex')}`;
  // Loaded on use, like the databases in test-databases.ts: the unit specs import this barrel too.
  const { Kafka, logLevel } = await import('kafkajs');
  // Few retries for the reachability check: a missing broker fails in seconds, not minutes.
  const probe = new Kafka({ brokers: [...brokers], logLevel: logLevel.NOTHING, retry: { retries: 2 } }).admin();
  await probe.connect().catch((e: Error) => {
    throw new Error(`Kafka is not reachable at ${brokers.join(',')} (${e.message}); start it with \`npm run infra:up\``);
  });
  await probe.disconnect();
  const kafka = new Kafka({ clientId: 'funnel-test', brokers: [...brokers], logLevel: logLevel.ERROR });
  const admin = kafka.admin();
  await admin.connect();
  return {
    brokers,
    topic,
    kafka,
    admin,
    async close() {
      const ours = (await admin.listTopics()).filter((t) => t === topic || t.startsWith(`${topic}.`));
      if (ours.length > 0) await admin.deleteTopics({ topics: ours, timeout: 10_000 });
      const { groups } = await admin.listGroups();
      const groupIds = groups.map((g) => g.groupId).filter((g) => g.startsWith(`${topic}.`));
      if (groupIds.length > 0) await admin.deleteGroups(groupIds).catch(() => undefined);
      await admin.disconnect();
    },
  };
}

/** The environment of an app process in Kafka mode on a test topic, schema and ClickHouse URL. */
export function kafkaModeEnv(kafka: TestKafka, databaseUrl: string, clickhouseUrl: string): Record<string, string> {
  return {
    PORT: '0',
    EVENT_LOG: 'kafka',
    KAFKA_BROKERS: kafka.brokers.join(','),
    KAFKA_TOPIC: kafka.topic,
    DATABASE_URL: databaseUrl,
    CLICKHOUSE_URL: clickhouseUrl,
  };
}
