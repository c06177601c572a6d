import { PROJECTION_NAMES, type ProjectionName } from '@funnel/config';
import { deadLetterTopic, type LogEvent } from '@funnel/contracts';
import {
  connectOnce,
  createOrderedProducer,
  ensureTopic,
  kafkaPosition,
  parseKafkaPosition,
  type LogRecord,
} from '@funnel/event-log';
import { Logger } from '@nestjs/common';
import type { Admin, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { errorMessage } from '../error-message';
import type { DeadLetter, DeadLetterReplay, DeadLetterStore } from './dead-letter.store';
import type { PostgresDeadLetterStore } from './postgres-dead-letter.store';

/**
 * A message of the dead-letter topic (its JSON value). The coordinates and the error also travel
 * as headers (`dlq-*`), so tools that show only headers can triage without parsing the value.
 */
export interface DeadLetterEnvelope {
  readonly projection: ProjectionName;
  readonly error: string;
  /** Where the event sits in the log. */
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly failedAt: string;
  readonly event: LogEvent;
}

/**
 * Dead letters on `<topic>.dlq` (the Kafka log). A replay reads them back through a consumer
 * group of its own per projection (`<topic>.dlq.<projection>`), so each letter is replayed once
 * per projection, and an event that fails again is published anew with its new error.
 */
export class KafkaDeadLetterStore implements DeadLetterStore {
  readonly topic: string;
  private readonly producer: Producer;
  private readonly admin: Admin;
  private readonly logger = new Logger('dead-letters');
  private readonly ready = connectOnce(() => this.connect());

  /**
   * The Kafka client stays the caller's. `ledger` keeps a row per letter in `dead_letters`, so
   * /v1/status and /metrics count them the same way as with the PostgreSQL log.
   */
  constructor(
    private readonly kafka: Kafka,
    private readonly sourceTopic: string,
    private readonly ledger: PostgresDeadLetterStore,
  ) {
    this.topic = deadLetterTopic(sourceTopic);
    this.producer = createOrderedProducer(kafka);
    this.admin = kafka.admin();
  }

  async put(projection: ProjectionName, record: LogRecord, error: string): Promise<void> {
    const { partition, offset } = parseKafkaPosition(record.position);
    await this.publish({
      projection,
      error,
      topic: this.sourceTopic,
      partition,
      offset,
      failedAt: new Date().toISOString(),
      event: record.event,
    });
    await this.ledger.put(projection, record, error);
  }

  async replay(projection: ProjectionName, apply: (record: LogRecord) => Promise<void>): Promise<DeadLetterReplay> {
    await this.ready();
    const groupId = `${this.topic}.${projection}`;
    // Where this replay ends: letters published while it runs (those failing again) are the next one's.
    const ends = new Map((await this.admin.fetchTopicOffsets(this.topic)).map((p) => [p.partition, p]));
    const [committed] = await this.admin.fetchOffsets({ groupId, topics: [this.topic] });
    const startOf = new Map(committed.partitions.map((p) => [p.partition, Number(p.offset)]));
    const pending = new Set(
      [...ends.values()]
        .filter(({ partition, low, high }) => Math.max(startOf.get(partition) ?? -1, Number(low)) < Number(high))
        .map(({ partition }) => partition),
    );
    const done = { replayed: 0, failed: 0 };
    if (pending.size === 0) return done;

    const consumer = this.kafka.consumer({ groupId, maxWaitTimeInMs: 500 });
    await consumer.connect();
    try {
      await new Promise<void>((resolve, reject) => {
        consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error));
        const handle = async (partition: number, message: KafkaMessage) => {
          const end = Number(ends.get(partition)?.high ?? 0);
          const offset = Number(message.offset);
          if (offset >= end) return;
          const letter = parseEnvelope(message);
          if (letter === undefined) {
            this.logger.warn(`skipping ${this.topic} ${partition}:${offset}: not a dead-letter envelope`);
          } else if (letter.projection === projection) {
            const record = { position: kafkaPosition(letter), event: letter.event };
            try {
              await apply(record);
              done.replayed++;
              await this.ledger.markReplayed(projection, letter.event.id);
            } catch (error) {
              done.failed++;
              await this.publish({ ...letter, error: errorMessage(error), failedAt: new Date().toISOString() });
              await this.ledger.put(projection, record, errorMessage(error));
            }
          }
          await consumer.commitOffsets([{ topic: this.topic, partition, offset: String(offset + 1) }]);
          if (offset + 1 >= end) pending.delete(partition);
          if (pending.size === 0) resolve();
        };
        consumer
          .subscribe({ topics: [this.topic], fromBeginning: true })
          .then(() =>
            consumer.run({
              autoCommit: false,
              eachMessage: ({ partition, message }) => handle(partition, message).catch(reject),
            }),
          )
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
    return done;
  }

  /**
   * Reads the topic without moving any replay group: a letter is pending for a projection when it
   * lies at or after that projection's replay group's committed offset (a letter that failed again
   * was published anew there, and its old message was committed past).
   */
  async list(projection?: ProjectionName): Promise<DeadLetter[]> {
    await this.ready();
    const partitions = await this.admin.fetchTopicOffsets(this.topic);
    const ends = new Map(partitions.map((p) => [p.partition, Number(p.high)]));
    const committed = new Map<ProjectionName, Map<number, number>>();
    for (const name of projection ? [projection] : PROJECTION_NAMES) {
      const [offsets] = await this.admin.fetchOffsets({ groupId: `${this.topic}.${name}`, topics: [this.topic] });
      committed.set(name, new Map(offsets.partitions.map((p) => [p.partition, Number(p.offset)])));
    }
    const pending = new Set(partitions.filter((p) => Number(p.low) < Number(p.high)).map((p) => p.partition));
    const letters: DeadLetter[] = [];
    if (pending.size === 0) return letters;

    // A throwaway group that commits nothing, deleted afterwards.
    const groupId = `${this.topic}.list.${process.pid}.${Date.now()}`;
    const consumer = this.kafka.consumer({ groupId, maxWaitTimeInMs: 500 });
    await consumer.connect();
    try {
      await new Promise<void>((resolve, reject) => {
        consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error));
        const handle = (partition: number, message: KafkaMessage) => {
          const offset = Number(message.offset);
          const end = ends.get(partition) ?? 0;
          if (offset >= end) return;
          const letter = parseEnvelope(message);
          const from = letter && committed.get(letter.projection)?.get(partition);
          if (letter && from !== undefined && offset >= from) {
            letters.push({
              projection: letter.projection,
              position: kafkaPosition(letter),
              error: letter.error,
              failedAt: letter.failedAt,
              event: letter.event,
            });
          }
          if (offset + 1 >= end) pending.delete(partition);
          if (pending.size === 0) resolve();
        };
        consumer
          .subscribe({ topics: [this.topic], fromBeginning: true })
          .then(() => consumer.run({ autoCommit: false, eachMessage: async ({ partition, message }) => handle(partition, message) }))
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
    await this.admin.deleteGroups([groupId]).catch((error: unknown) => {
      this.logger.warn(`could not delete the listing group ${groupId} (it holds no offsets): ${errorMessage(error)}`);
    });
    return letters;
  }

  /** A topic is append-only: old letters stay, and replaying one whose event was since applied changes nothing. */
  async discard(): Promise<void> {}

  async close(): Promise<void> {
    await Promise.all([this.producer.disconnect(), this.admin.disconnect()]);
  }

  private async publish(letter: DeadLetterEnvelope): Promise<void> {
    await this.ready();
    await this.producer.send({
      topic: this.topic,
      acks: -1,
      messages: [
        {
          key: letter.event.id,
          value: JSON.stringify(letter),
          headers: {
            'dlq-projection': letter.projection,
            'dlq-error': letter.error,
            'dlq-topic': letter.topic,
            'dlq-partition': String(letter.partition),
            'dlq-offset': letter.offset,
            'event-id': letter.event.id,
          },
        },
      ],
    });
  }

  private async connect(): Promise<void> {
    await Promise.all([this.admin.connect(), this.producer.connect()]);
    // One partition: dead letters are rare, and one total order lets a replay know where it ends.
    await ensureTopic(this.admin, { topic: this.topic, numPartitions: 1 });
  }
}

function parseEnvelope(message: KafkaMessage): DeadLetterEnvelope | undefined {
  try {
    const letter = JSON.parse(message.value?.toString() ?? '') as Partial<DeadLetterEnvelope> | null;
    return letter && typeof letter.projection === 'string' && letter.event && typeof letter.offset === 'string'
      ? (letter as DeadLetterEnvelope)
      : undefined;
  } catch {
    return undefined;
  }
}
