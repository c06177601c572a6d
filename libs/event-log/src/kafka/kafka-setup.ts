import { Partitioners, type Admin, type ITopicConfig, type Kafka, type Producer } from 'kafkajs';

/**
 * The producer every Kafka writer of Funnel Ledger uses (the log and its dead-letter topic).
 * Idempotent, and kafkajs keeps per-partition order through its retries only with one request
 * in flight; subject order is part of the log's contract. No auto-creation: a topic created by
 * a send would get the broker's default partition count.
 */
export function createOrderedProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    // murmur2 of the key, as the Java client and librdkafka's murmur2 partitioner compute it, so
    // a subject lands in the same partition whichever client appends its events. (This is also
    // kafkajs 2's default; naming it keeps a future default change from re-partitioning keys,
    // and silences kafkajs's warning about that change.)
    createPartitioner: Partitioners.DefaultPartitioner,
  });
}

/** Topic settings that keep every message: no time or size limit. */
export const KEEP_FOREVER = [
  { name: 'retention.ms', value: '-1' },
  { name: 'retention.bytes', value: '-1' },
];

/**
 * Creates `topic` unless it exists. Resolves true when this call created it, false when it was
 * there or another process created it meanwhile (processes started together race to create it;
 * the losers get false at once, possibly before the partitions have leaders).
 */
export async function ensureTopic(admin: Admin, topic: ITopicConfig): Promise<boolean> {
  if ((await admin.listTopics()).includes(topic.topic)) return false;
  // Our topics are logs of record (the event log is the source of truth, the DLQ holds what is
  // still to repair): the broker's default retention (7 days) would silently delete history.
  const configEntries = [...KEEP_FOREVER, ...(topic.configEntries ?? [])];
  return admin.createTopics({ waitForLeaders: true, topics: [{ ...topic, configEntries }] });
}

/**
 * Memoises a connect step: every caller waits for the same attempt, and a failed attempt is
 * forgotten so the next call tries again (a broker that was down at start).
 */
export function connectOnce(connect: () => Promise<void>): () => Promise<void> {
  let connecting: Promise<void> | undefined;
  return () => {
    connecting ??= connect().catch((error: unknown) => {
      connecting = undefined;
      throw error;
    });
    return connecting;
  };
}

/** A Kafka log position, `partition:offset`; outside this adapter positions are opaque. */
export interface KafkaPosition {
  readonly partition: number;
  readonly offset: string;
}

export function kafkaPosition({ partition, offset }: KafkaPosition): string {
  return `${partition}:${offset}`;
}

/** The partition and offset of a position this adapter wrote (the dead-letter topic records them). */
export function parseKafkaPosition(position: string): KafkaPosition {
  const match = /^(\d+):(\d+)$/.exec(position);
  if (!match) throw new Error(`not a Kafka log position (partition:offset): ${position}`);
  return { partition: Number(match[1]), offset: match[2] };
}
