import type { ProjectionName } from '@funnel/config';
import { deadLetterTopic, type LogEvent } from '@funnel/contracts';
import type { LogRecord } from '@funnel/event-log';
import { Logger } from '@nestjs/common';
import { Partitioners, type Admin, type Kafka, type KafkaMessage, type Producer } from 'kafkajs';
import { errorMessage } from '../error-message';
import type { DeadLetterReplay, DeadLetterStore } from './dead-letter.store';
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
  private connecting: Promise<void> | undefined;

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
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // kafkajs 2's default, named so it does not warn about having changed it.
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    this.admin = kafka.admin();
  }

  async put(projection: ProjectionName, record: LogRecord, error: string): Promise<void> {
    const [partition, offset] = record.position.split(':');
    await this.publish({
      projection,
      error,
      topic: this.sourceTopic,
      partition: Number(partition),
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
            const record = { position: `${letter.partition}:${letter.offset}`, event: letter.event };
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

  private ready(): Promise<void> {
    this.connecting ??= this.connect().catch((error: unknown) => {
      this.connecting = undefined;
      throw error;
    });
    return this.connecting;
  }

  private async connect(): Promise<void> {
    await Promise.all([this.admin.connect(), this.producer.connect()]);
    if ((await this.admin.listTopics()).includes(this.topic)) return;
    // One partition: dead letters are rare, and one total order lets a replay know where it ends.
    // Resolves false when another projector created it meanwhile, which is just as good.
    await this.admin.createTopics({ waitForLeaders: true, topics: [{ topic: this.topic, numPartitions: 1 }] });
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
