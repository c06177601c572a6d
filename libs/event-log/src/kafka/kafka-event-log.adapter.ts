import { DEFAULT_EVENTS_TOPIC, type LogEvent } from '@funnel/contracts';
import type { Admin, Kafka, Producer } from 'kafkajs';
import type { Pool } from 'pg';
import type { EventLogLogger } from '../event-log.logger';
import type {
  AppendContext,
  AppendResult,
  BatchHandler,
  ConsumerProgress,
  EventLog,
  SubscribeOptions,
  Subscription,
} from '../event-log.port';
import { appendResultOf, firstOfEachId } from '../first-id-wins';
import { DEFAULT_RETRY_BACKOFF, type RetryBackoff } from '../retry';
import { toMessage } from './kafka-records';
import { connectOnce, createOrderedProducer, ensureTopic } from './kafka-setup';
import { KafkaSubscription } from './kafka-subscription';

export interface KafkaEventLogOptions {
  /** DEFAULT_EVENTS_TOPIC ('funnel.events') */
  readonly topic?: string;
  /** Partitions when this adapter creates the topic (12); an existing topic is left as it is. */
  readonly partitions?: number;
  /** Replicas when this adapter creates the topic; the broker's default when unset. */
  readonly replicationFactor?: number;
  /**
   * Most records handed to a handler at once (20000): a fetched batch is split to fit, and the
   * partitions' batches that arrive together are merged up to it (see coalescedHandler).
   */
  readonly batchSize?: number;
  /**
   * How long an idle fetch waits on the broker for new records (500 ms, the Java consumer's
   * default; kafkajs's is 5 s). It bounds how long `stop()` waits for an idle consumer; delivery
   * latency does not depend on it, a fetch returns as soon as records arrive.
   */
  readonly fetchMaxWaitMs?: number;
  /**
   * A failing handler is retried in place, same records, 100 ms doubling up to 10 s; keep maxMs
   * well under the group's 30 s session timeout, the consumer heartbeats only between attempts.
   */
  readonly retryBackoff?: RetryBackoff;
  /**
   * How long a subscription may stay behind the log with no batch handled and no offset committed
   * before its consumer is presumed stalled and replaced (45 s: longer than a rebalance that waits
   * out a dead member's 30 s session).
   */
  readonly stallMs?: number;
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
  private readonly fetchMaxWaitMs: number;
  private readonly retryBackoff: RetryBackoff;
  private readonly stallMs: number;
  private readonly logger: EventLogLogger;
  private readonly producer: Producer;
  private readonly admin: Admin;
  private readonly subscriptions = new Set<KafkaSubscription>();
  private readonly ready = connectOnce(() => this.connect());

  /** The Kafka client and the pool stay the caller's; `close()` disconnects only what this adapter opened. */
  constructor(
    private readonly kafka: Kafka,
    private readonly pool: Pool,
    options: KafkaEventLogOptions = {},
  ) {
    this.topic = options.topic ?? DEFAULT_EVENTS_TOPIC;
    this.partitions = options.partitions ?? 12;
    this.replicationFactor = options.replicationFactor;
    this.batchSize = options.batchSize ?? 20000;
    this.fetchMaxWaitMs = options.fetchMaxWaitMs ?? 500;
    this.retryBackoff = options.retryBackoff ?? DEFAULT_RETRY_BACKOFF;
    this.stallMs = options.stallMs ?? 45_000;
    this.logger = options.logger ?? console;
    this.producer = createOrderedProducer(kafka);
    this.admin = kafka.admin();
  }

  async append(events: readonly LogEvent[], context: AppendContext = {}): Promise<AppendResult> {
    const candidates = firstOfEachId(events);
    if (candidates.length === 0) return appendResultOf(events, new Set());
    await this.ready();
    const { rows } = await this.pool.query<{ event_id: string }>(RESERVE_IDS_SQL, [candidates.map((event) => event.id)]);
    const reserved = new Set(rows.map((row) => row.event_id));
    const fresh = candidates.filter((event) => reserved.has(event.id));
    if (fresh.length > 0) {
      try {
        await this.producer.send({ topic: this.topic, acks: -1, messages: fresh.map((event) => toMessage(event, context)) });
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

  /**
   * The consumer group of a named consumer: `<topic>.<consumer>` (`funnel.events.postgres`), so
   * environments sharing a broker under different topics never share, rebalance or reset each
   * other's groups.
   */
  groupIdOf(consumer: string): string {
    return `${this.topic}.${consumer}`;
  }

  async subscribe(consumer: string, handler: BatchHandler, options: SubscribeOptions = {}): Promise<Subscription> {
    await this.ready();
    const subscription = new KafkaSubscription(consumer, handler, {
      kafka: this.kafka,
      topic: this.topic,
      groupId: this.groupIdOf(consumer),
      partitions: this.partitions,
      batchSize: Math.min(options.batchSize ?? this.batchSize, this.batchSize),
      fetchMaxWaitMs: this.fetchMaxWaitMs,
      retryBackoff: this.retryBackoff,
      stallMs: this.stallMs,
      logger: this.logger,
      progress: (partitions) => this.partitionProgress(consumer, partitions),
    });
    await subscription.start();
    this.subscriptions.add(subscription);
    return {
      stop: async () => {
        this.subscriptions.delete(subscription);
        await subscription.stop();
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
    const offsets = await this.topicOffsets();
    return offsets.reduce((sum, { high }) => sum + Number(high), 0);
  }

  /** Committed offsets against high watermarks, per partition, summed. */
  async progress(consumer: string): Promise<ConsumerProgress> {
    return { name: consumer, ...(await this.partitionProgress(consumer)) };
  }

  /** Committed offsets (processed) and what is left behind them (lag), summed over `partitions` (all). */
  private async partitionProgress(consumer: string, partitions?: ReadonlySet<number>): Promise<{ processed: number; lag: number }> {
    await this.ready();
    const [watermarks, groupOffsets] = await Promise.all([
      this.topicOffsets(),
      this.admin.fetchOffsets({ groupId: this.groupIdOf(consumer), topics: [this.topic] }),
    ]);
    const committed = new Map(
      groupOffsets.flatMap(({ partitions }) => partitions).map(({ partition, offset }) => [partition, Number(offset)]),
    );
    let processed = 0;
    let lag = 0;
    for (const { partition, high } of watermarks) {
      if (partitions && !partitions.has(partition)) continue;
      // -1 = the group never committed on this partition.
      const done = Math.max(committed.get(partition) ?? -1, 0);
      processed += done;
      lag += Number(high) - done;
    }
    return { processed, lag };
  }

  /**
   * Deletes the consumer group, and with it every offset it committed: a new subscription then
   * starts from the beginning (`fromBeginning`), and progress reads 0 processed. The group is
   * this topic's alone (see groupIdOf), so nothing else is forgotten. kafkajs's resetOffsets would keep the group but joins it with a throwaway
   * consumer and waits out a 5 s fetch to commit. Kafka refuses to delete a group with live
   * members, here or in another process: stop those subscriptions first.
   */
  async resetConsumer(consumer: string): Promise<void> {
    await this.ready();
    if ([...this.subscriptions].some((subscription) => subscription.consumer === consumer)) {
      throw new Error(`Consumer "${consumer}" is subscribed through this log: stop it before resetting it`);
    }
    try {
      await this.admin.deleteGroups([this.groupIdOf(consumer)]);
    } catch (error) {
      const codes = groupErrorTypes(error);
      // A group that never committed anything has nothing to forget.
      if (codes.length > 0 && codes.every((type) => type === 'GROUP_ID_NOT_FOUND')) return;
      if (codes.includes('NON_EMPTY_GROUP')) {
        throw new Error(
          `Consumer "${consumer}" still has live members (another process?): stop them before resetting it`,
          { cause: error },
        );
      }
      throw error;
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    this.subscriptions.clear();
    await Promise.all([this.producer.disconnect(), this.admin.disconnect()]);
  }

  private async connect(): Promise<void> {
    await Promise.all([this.admin.connect(), this.producer.connect()]);
    const created = await ensureTopic(this.admin, {
      topic: this.topic,
      numPartitions: this.partitions,
      replicationFactor: this.replicationFactor,
    });
    // A topic that was there, or that another process just created, may still have partitions
    // without a leader.
    if (!created) await this.topicOffsets();
  }

  /**
   * The topic's offsets, retried for a while on retriable errors: a partition without a leader
   * yet (a topic just created) or a leader that moved. kafkajs's admin gives up on the first.
   */
  private async topicOffsets(timeoutMs = 30_000): Promise<Awaited<ReturnType<Admin['fetchTopicOffsets']>>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        return await this.admin.fetchTopicOffsets(this.topic);
      } catch (error) {
        if ((error as { retriable?: boolean }).retriable !== true || Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }
}

/** The per-group error types of a failed deleteGroups (KafkaJSDeleteGroupsError), else none. */
function groupErrorTypes(error: unknown): string[] {
  const groups = (error as { groups?: { error?: { type?: string } }[] } | null)?.groups;
  return Array.isArray(groups) ? groups.map((group) => group.error?.type ?? 'UNKNOWN') : [];
}
