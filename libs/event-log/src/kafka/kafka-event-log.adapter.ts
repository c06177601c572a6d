import { DEFAULT_EVENTS_TOPIC, subjectOf, type FunnelEvent } from '@funnel/contracts';
import type { Admin, Consumer, EachBatchPayload, Kafka, KafkaMessage, Message, Producer } from 'kafkajs';
import type { Pool } from 'pg';
import type { EventLogLogger } from '../event-log.logger';
import type {
  AppendResult,
  BatchHandler,
  ConsumerProgress,
  EventLog,
  LogRecord,
  Subscription,
} from '../event-log.port';
import { appendResultOf, firstOfEachId } from '../first-id-wins';

export interface KafkaEventLogOptions {
  /** DEFAULT_EVENTS_TOPIC ('funnel.events') */
  readonly topic?: string;
  /** Partitions when this adapter creates the topic (12); an existing topic is left as it is. */
  readonly partitions?: number;
  /** Replicas when this adapter creates the topic; the broker's default when unset. */
  readonly replicationFactor?: number;
  /** Most records handed to a handler at once (1000); a fetched batch is split to fit. */
  readonly batchSize?: number;
  readonly logger?: EventLogLogger;
}

const RESERVE_IDS_SQL = `
  INSERT INTO ingested_event_ids (event_id) SELECT unnest($1::text[])
  ON CONFLICT (event_id) DO NOTHING
  RETURNING event_id`;

const RELEASE_IDS_SQL = 'DELETE FROM ingested_event_ids WHERE event_id = ANY($1::text[])';

/**
 * The event log as a Kafka topic, keyed by subject id so each subject stays ordered within one
 * partition. Kafka cannot refuse a duplicate key, so first-id-wins is enforced before producing by
 * reserving ids in PostgreSQL (`ingested_event_ids`, created by `migrateEventLog`).
 */
export class KafkaEventLog implements EventLog {
  private readonly topic: string;
  private readonly partitions: number;
  private readonly replicationFactor: number | undefined;
  private readonly batchSize: number;
  private readonly logger: EventLogLogger;
  private readonly producer: Producer;
  private readonly admin: Admin;
  private readonly consumers = new Set<Consumer>();
  private connecting: Promise<void> | undefined;

  /** The Kafka client and the pool stay the caller's; `close()` disconnects only what this adapter opened. */
  constructor(
    private readonly kafka: Kafka,
    private readonly pool: Pool,
    options: KafkaEventLogOptions = {},
  ) {
    this.topic = options.topic ?? DEFAULT_EVENTS_TOPIC;
    this.partitions = options.partitions ?? 12;
    this.replicationFactor = options.replicationFactor;
    this.batchSize = options.batchSize ?? 1000;
    this.logger = options.logger ?? console;
    this.producer = kafka.producer({
      idempotent: true,
      // kafkajs keeps per-partition order through retries of the idempotent producer only with one
      // request in flight; subject order is part of the log's contract.
      maxInFlightRequests: 1,
      // A topic auto-created by a send would get the broker's default partition count.
      allowAutoTopicCreation: false,
    });
    this.admin = kafka.admin();
  }

  async append(events: readonly FunnelEvent[]): Promise<AppendResult> {
    const candidates = firstOfEachId(events);
    if (candidates.length === 0) return appendResultOf(events, new Set());
    await this.ready();
    const { rows } = await this.pool.query<{ event_id: string }>(RESERVE_IDS_SQL, [candidates.map((event) => event.id)]);
    const reserved = new Set(rows.map((row) => row.event_id));
    const fresh = candidates.filter((event) => reserved.has(event.id));
    if (fresh.length > 0) {
      try {
        await this.producer.send({ topic: this.topic, acks: -1, messages: fresh.map(toMessage) });
      } catch (error) {
        // A failed append must not reserve its ids, or the client's retry would be refused as a
        // duplicate of an event that never reached the log. The price: a send that timed out after
        // the broker wrote it can be written again by that retry, which consumers absorb because
        // every read model is idempotent by event id.
        await this.pool
          .query(RELEASE_IDS_SQL, [fresh.map((event) => event.id)])
          .catch((releaseError: unknown) =>
            this.logger.error(`Could not release event ids after a failed send: ${String(releaseError)}`),
          );
        throw error;
      }
    }
    return appendResultOf(events, reserved);
  }

  async subscribe(consumer: string, handler: BatchHandler): Promise<Subscription> {
    await this.ready();
    const kafkaConsumer = this.kafka.consumer({ groupId: consumer });
    await kafkaConsumer.connect();
    try {
      await kafkaConsumer.subscribe({ topics: [this.topic], fromBeginning: true });
      await kafkaConsumer.run({
        eachBatchAutoResolve: false,
        // With a threshold of 1, commitOffsetsIfNecessary commits as soon as a chunk is resolved
        // instead of on kafkajs's timer, so a restart redelivers at most the chunk in flight.
        autoCommitThreshold: 1,
        eachBatch: (payload) => this.handleBatch(payload, handler),
      });
    } catch (error) {
      await kafkaConsumer.disconnect();
      throw error;
    }
    this.consumers.add(kafkaConsumer);
    return {
      // disconnect() waits for the eachBatch in flight before leaving the group.
      stop: async () => {
        this.consumers.delete(kafkaConsumer);
        await kafkaConsumer.disconnect();
      },
    };
  }

  /*
   * The broker is the only place that knows what was durably written, so accepted = the sum of
   * the partitions' high watermarks rather than a counter in PostgreSQL, which would drift
   * whenever a send's outcome is ambiguous. Offsets are dense here (idempotent, non-transactional
   * producer: no control records), so a watermark is a count of events.
   */
  async acceptedCount(): Promise<number> {
    await this.ready();
    const offsets = await this.admin.fetchTopicOffsets(this.topic);
    return offsets.reduce((sum, { high }) => sum + Number(high), 0);
  }

  /** Committed offsets against high watermarks, per partition, summed. */
  async progress(consumer: string): Promise<ConsumerProgress> {
    await this.ready();
    const [watermarks, groupOffsets] = await Promise.all([
      this.admin.fetchTopicOffsets(this.topic),
      this.admin.fetchOffsets({ groupId: consumer, topics: [this.topic] }),
    ]);
    const committed = new Map(
      groupOffsets.flatMap(({ partitions }) => partitions).map(({ partition, offset }) => [partition, Number(offset)]),
    );
    let processed = 0;
    let lag = 0;
    for (const { partition, high } of watermarks) {
      // -1 = the group never committed on this partition.
      const done = Math.max(committed.get(partition) ?? -1, 0);
      processed += done;
      lag += Number(high) - done;
    }
    return { name: consumer, processed, lag };
  }

  /** Kafka refuses to move the offsets of a group with live members: stop its subscriptions first. */
  async resetConsumer(consumer: string): Promise<void> {
    await this.ready();
    await this.admin.resetOffsets({ groupId: consumer, topic: this.topic, earliest: true });
  }

  async close(): Promise<void> {
    const consumers = [...this.consumers];
    this.consumers.clear();
    await Promise.all(consumers.map((consumer) => consumer.disconnect()));
    await Promise.all([this.producer.disconnect(), this.admin.disconnect()]);
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
    const existing = await this.admin.listTopics();
    if (existing.includes(this.topic)) return;
    // Resolves false when another process created it in the meantime, which is just as good.
    await this.admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic: this.topic, numPartitions: this.partitions, replicationFactor: this.replicationFactor }],
    });
  }

  private async handleBatch(
    { batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }: EachBatchPayload,
    handler: BatchHandler,
  ): Promise<void> {
    for (let start = 0; start < batch.messages.length; start += this.batchSize) {
      // After stop() or a rebalance the rest of the batch may belong to another member: leave it.
      if (!isRunning() || isStale()) return;
      const messages = batch.messages.slice(start, start + this.batchSize);
      // A throwing handler propagates to kafkajs, which commits the chunks resolved so far and
      // refetches from the first unresolved offset with its retry backoff.
      await handler(messages.map((message) => toLogRecord(batch.partition, message)));
      for (const message of messages) resolveOffset(message.offset);
      await commitOffsetsIfNecessary();
      await heartbeat();
    }
  }
}

function toMessage(event: FunnelEvent): Message {
  return {
    key: subjectOf(event).id,
    value: JSON.stringify(event),
    headers: { 'event-type': event.type, 'event-id': event.id },
  };
}

function toLogRecord(partition: number, message: KafkaMessage): LogRecord {
  if (message.value === null) throw new Error(`Message ${partition}:${message.offset} has no value`);
  // Only events that passed validation as a FunnelEvent are ever produced.
  return { position: `${partition}:${message.offset}`, event: JSON.parse(message.value.toString()) as FunnelEvent };
}
