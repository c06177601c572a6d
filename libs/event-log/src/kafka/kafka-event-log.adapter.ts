import { DEFAULT_EVENTS_TOPIC, subjectOf, type LogEvent } from '@funnel/contracts';
import type { Admin, Consumer, EachBatchPayload, Kafka, KafkaMessage, Message, Producer } from 'kafkajs';
import type { Pool } from 'pg';
import type { EventLogLogger } from '../event-log.logger';
import type {
  AppendContext,
  AppendResult,
  BatchHandler,
  ConsumerProgress,
  EventLog,
  LogRecord,
  SubscribeOptions,
  Subscription,
} from '../event-log.port';
import { appendResultOf, firstOfEachId } from '../first-id-wins';
import { backoffDelayMs, DEFAULT_RETRY_BACKOFF, type RetryBackoff } from '../retry';
import { coalescedHandler } from './coalesced-handler';
import { connectOnce, createOrderedProducer, ensureTopic, kafkaPosition } from './kafka-setup';

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

/** A running subscription, as `close()` and `resetConsumer()` need to see it. */
interface LiveSubscription {
  readonly consumer: string;
  /** Set by stop(): a handler retry loop gives up at once instead of sleeping on. */
  stopping: boolean;
  wake: (() => void) | undefined;
  /** A batch is in the handler (retries included): the consumer is working, not stalled. */
  busy: boolean;
  /** When this subscription last handled a batch, saw its offsets move, or saw no lag (Date.now()). */
  activeAt: number;
  /** The processed count the stall check saw last. */
  processed: number;
  /** The partitions the group gave this subscription's consumer when it last joined; unknown before. */
  assigned: ReadonlySet<number> | undefined;
  stop(): Promise<void>;
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
  private readonly subscriptions = new Set<LiveSubscription>();
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
    let current: Consumer | undefined;
    const batchSize = Math.min(options.batchSize ?? this.batchSize, this.batchSize);
    const apply = coalescedHandler(handler, batchSize);
    const live: LiveSubscription = {
      consumer,
      stopping: false,
      wake: undefined,
      busy: false,
      activeAt: Date.now(),
      processed: -1,
      assigned: undefined,
      // disconnect() waits for the eachBatch in flight, then leaves the group, so the next member
      // (or a resetConsumer) does not wait for the session timeout. Safe to call twice.
      stop: async () => {
        live.stopping = true;
        live.wake?.();
        clearInterval(watchdog);
        this.subscriptions.delete(live);
        await current?.disconnect();
      },
    };
    const start = async (): Promise<void> => {
      const kafkaConsumer = this.kafka.consumer({ groupId: this.groupIdOf(consumer), maxWaitTimeInMs: this.fetchMaxWaitMs });
      current = kafkaConsumer;
      live.activeAt = Date.now();
      live.assigned = undefined;
      kafkaConsumer.on(kafkaConsumer.events.GROUP_JOIN, ({ payload }) => {
        if (current === kafkaConsumer) live.assigned = new Set(payload.memberAssignment[this.topic] ?? []);
      });
      kafkaConsumer.on(kafkaConsumer.events.CRASH, ({ payload }) => {
        // A consumer already replaced (see replaceIfStalled) is left to its fate.
        if (payload.restart || live.stopping || current !== kafkaConsumer) return;
        // kafkajs restarts a consumer only after errors it deems retriable; after any other it
        // leaves one that consumes nothing while the process looks healthy (a projection stuck
        // with lag). A new consumer rejoins the group and goes on from the committed offsets.
        this.logger.error(`Consumer "${consumer}" stopped on ${String(payload.error)}; starting a new one`);
        void this.restartUntilRunning(live, start);
      });
      await kafkaConsumer.connect();
      try {
        await kafkaConsumer.subscribe({ topics: [this.topic], fromBeginning: true });
        // Resolves once the consumer has joined the group; fetching goes on in the background.
        await kafkaConsumer.run({
          eachBatchAutoResolve: false,
          // With a threshold of 1, commitOffsetsIfNecessary commits as soon as a chunk is resolved
          // instead of on kafkajs's timer, so a restart redelivers at most the chunk in flight.
          autoCommitThreshold: 1,
          // Every partition's batch of a fetch is handed over at once, so apply can merge them.
          partitionsConsumedConcurrently: this.partitions,
          eachBatch: (payload) => this.handleBatch(payload, live, apply, batchSize),
        });
      } catch (error) {
        await kafkaConsumer.disconnect();
        throw error;
      }
      // stop() may have come while this consumer was joining: it disconnected the one before.
      if (live.stopping) await kafkaConsumer.disconnect();
    };
    let checking = false;
    const watchdog = setInterval(() => {
      if (checking) return;
      checking = true;
      void this.replaceIfStalled(live, () => current, start).finally(() => (checking = false));
    }, Math.max(1, Math.min(this.stallMs / 4, 5_000)));
    watchdog.unref();
    try {
      await start();
    } catch (error) {
      clearInterval(watchdog);
      throw error;
    }
    this.subscriptions.add(live);
    return { stop: () => live.stop() };
  }

  /*
   * kafkajs can be left with a consumer that is connected, heartbeats and fetches nothing, or
   * whose last commit was lost with no new record to carry the next one, after a broker restart
   * (CI's broker-restart fault saw a projection stuck 89 behind for three minutes). Nothing
   * signals it; only the lag says it. A subscription behind the log on its own partitions (all,
   * until it has joined) whose committed offsets have not moved for stallMs, with no batch in its
   * handler, gets a new consumer, which rejoins the group and goes on from the committed offsets
   * (read models are idempotent by event id). Another process's member retrying a batch through a
   * store outage holds other partitions, so it does not make this one look stalled.
   */
  private async replaceIfStalled(live: LiveSubscription, current: () => Consumer | undefined, start: () => Promise<void>): Promise<void> {
    if (live.stopping || live.busy || Date.now() - live.activeAt < this.stallMs) return;
    // The broker away: nothing can be told, and nothing a new consumer could do better.
    const progress = await this.partitionProgress(live.consumer, live.assigned).catch(() => undefined);
    if (!progress || live.stopping || live.busy) return;
    if (progress.lag === 0 || progress.processed !== live.processed) {
      live.processed = progress.processed;
      live.activeAt = Date.now();
      return;
    }
    const stalled = current();
    this.logger.error(
      `Consumer "${live.consumer}" has been ${progress.lag} behind for ${Math.round((Date.now() - live.activeAt) / 1000)} s with nothing handled; starting a new one`,
    );
    live.activeAt = Date.now();
    // A stalled consumer may never finish leaving: the group drops it after its session timeout.
    await Promise.race([stalled?.disconnect().catch(() => undefined), sleep(10_000, live)]);
    await this.restartUntilRunning(live, start);
  }

  /** Starts a replacement consumer, retried with the handler's backoff until it runs or the subscription stops. */
  private async restartUntilRunning(live: LiveSubscription, start: () => Promise<void>): Promise<void> {
    for (let failures = 1; !live.stopping; failures++) {
      await sleep(backoffDelayMs(this.retryBackoff, failures), live);
      if (live.stopping) return;
      try {
        await start();
        return;
      } catch (error) {
        this.logger.error(`Consumer "${live.consumer}" could not restart (attempt ${failures}): ${String(error)}`);
      }
    }
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
    if ([...this.subscriptions].some((live) => live.consumer === consumer)) {
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
    await Promise.all([...this.subscriptions].map((live) => live.stop()));
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

  private async handleBatch(
    { batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }: EachBatchPayload,
    live: LiveSubscription,
    handler: BatchHandler,
    batchSize: number,
  ): Promise<void> {
    // After stop() or a rebalance the rest of the batch may belong to another member: leave it
    // unresolved, so it is neither committed nor lost.
    const goOn = (): boolean => !live.stopping && isRunning() && !isStale();
    for (let start = 0; start < batch.messages.length; start += batchSize) {
      if (!goOn()) return;
      const messages = batch.messages.slice(start, start + batchSize);
      const records = messages.map((message) => toLogRecord(batch.partition, message));
      live.busy = true;
      try {
        if (!(await this.applyUntilDone(records, live, handler, heartbeat, goOn))) return;
      } finally {
        live.busy = false;
      }
      for (const message of messages) resolveOffset(message.offset);
      await commitOffsetsIfNecessary();
      live.activeAt = Date.now();
      await heartbeat();
    }
  }

  /**
   * Hands `records` to the handler until it succeeds (true), or until the subscription stops or
   * the partition moves to another member (false: nothing applied may be committed).
   */
  private async applyUntilDone(
    records: LogRecord[],
    live: LiveSubscription,
    handler: BatchHandler,
    heartbeat: () => Promise<void>,
    goOn: () => boolean,
  ): Promise<boolean> {
    for (let failures = 1; ; failures++) {
      try {
        await handler(records);
        return true;
      } catch (error) {
        // Retried here rather than thrown to kafkajs: kafkajs would retry a few times, then
        // crash and rejoin the group (a rebalance per failure), and it never restarts after an
        // error it deems unrecoverable (a TypeError), leaving a subscription that silently
        // consumes nothing. Nothing is resolved, so nothing is committed, until it succeeds.
        const delayMs = backoffDelayMs(this.retryBackoff, failures);
        this.logger.error(
          `Consumer "${live.consumer}" failed a batch at ${records[0].position} (attempt ${failures}), retrying in ${delayMs} ms without committing: ${String(error)}`,
          error instanceof Error ? error.stack : undefined,
        );
        await sleep(delayMs, live);
        if (!goOn()) return false;
        // Keeps the membership alive through a long outage; throws when the group rebalances,
        // and kafkajs then rejoins and refetches from the committed offsets.
        await heartbeat();
      }
    }
  }
}

/** Waits `ms`, or less when the subscription stops meanwhile. */
function sleep(ms: number, live: LiveSubscription): Promise<void> {
  if (live.stopping) return Promise.resolve();
  return new Promise((resolve) => {
    const wake = (): void => {
      clearTimeout(timer);
      live.wake = undefined;
      resolve();
    };
    const timer = setTimeout(wake, ms);
    live.wake = wake;
  });
}

/** The per-group error types of a failed deleteGroups (KafkaJSDeleteGroupsError), else none. */
function groupErrorTypes(error: unknown): string[] {
  const groups = (error as { groups?: { error?: { type?: string } }[] } | null)?.groups;
  return Array.isArray(groups) ? groups.map((group) => group.error?.type ?? 'UNKNOWN') : [];
}

/** The append's context travels in headers, so the message value is exactly the event. */
const REQUEST_ID_HEADER = 'request-id';
const WRITER_HEADER = 'writer';

function toMessage(event: LogEvent, { requestId, writer }: AppendContext): Message {
  return {
    key: subjectOf(event).id,
    value: JSON.stringify(event),
    headers: {
      'event-type': event.type,
      'event-id': event.id,
      ...(requestId ? { [REQUEST_ID_HEADER]: requestId } : {}),
      ...(writer ? { [WRITER_HEADER]: writer } : {}),
    },
  };
}

function toLogRecord(partition: number, message: KafkaMessage): LogRecord {
  const position = kafkaPosition({ partition, offset: message.offset });
  const text = message.value?.toString() ?? '';
  try {
    // Only events that passed validation (or were written by a definition mutation) are ever produced.
    const requestId = message.headers?.[REQUEST_ID_HEADER]?.toString();
    const writer = message.headers?.[WRITER_HEADER]?.toString();
    return { position, event: JSON.parse(text) as LogEvent, ...(requestId ? { requestId } : {}), ...(writer ? { writer } : {}) };
  } catch {
    // Bytes that are not JSON came from some other producer. Throwing here would stall the
    // partition forever; handed on as a record no projection can apply, they are dead-lettered
    // with their text and the events behind them go on.
    const undecodable = { id: `undecodable:${position}`, type: 'Undecodable', occurredAt: new Date(Number(message.timestamp)).toISOString(), schemaVersion: 1, data: { value: text } };
    return { position, event: undecodable as unknown as LogEvent };
  }
}
