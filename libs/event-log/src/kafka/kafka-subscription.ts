import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { EventLogLogger } from '../event-log.logger';
import type { BatchHandler, LogRecord } from '../event-log.port';
import { backoffDelayMs, type RetryBackoff } from '../retry';
import { coalescedHandler } from './coalesced-handler';
import { toLogRecord } from './kafka-records';

export interface KafkaSubscriptionOptions {
  readonly kafka: Kafka;
  readonly topic: string;
  readonly groupId: string;
  readonly partitions: number;
  readonly batchSize: number;
  readonly fetchMaxWaitMs: number;
  readonly retryBackoff: RetryBackoff;
  readonly stallMs: number;
  readonly logger: EventLogLogger;
  /** The group's committed offsets (processed) and what is left behind them (lag), over `partitions` (all when unset). */
  readonly progress: (partitions?: ReadonlySet<number>) => Promise<{ processed: number; lag: number }>;
}

/** How long a replaced consumer is given to leave the group before it is left to its session timeout. */
const RETIRE_MS = 10_000;

/**
 * One named consumer of the topic: a kafkajs consumer in the group `groupId`, handing batches to
 * the handler and committing after it, and replacing that consumer when it stops working without
 * saying so. kafkajs restarts a consumer itself only after errors it deems retriable; after any
 * other it leaves one that consumes nothing while the process looks healthy (CRASH with restart:
 * false). And after a broker restart it can be left with a consumer that is connected, heartbeats
 * and fetches nothing, or whose last commit was lost with no record left to carry the next one
 * (CI's broker-restart fault saw a projection 89 behind for three minutes, with no crash). Only the
 * lag tells: a subscription whose own partitions (all, until it has joined) stay behind with the
 * same committed offsets for `stallMs`, with no batch in the handler, gets a new consumer. A new
 * consumer rejoins the group and goes on from the committed offsets (read models are idempotent
 * by event id).
 */
export class KafkaSubscription {
  private stopping = false;
  /** The wake-ups of the sleeps in progress (a handler retry per partition, a restart's backoff). */
  private readonly wakers = new Set<() => void>();
  private current: Consumer | undefined;
  /** Replaced consumers still leaving the group. */
  private readonly retiring = new Set<Promise<void>>();
  private restarting: Promise<void> | undefined;
  /** Batches in the handler (retries included), across the partitions handled at once. */
  private inHandler = 0;
  private assigned: ReadonlySet<number> | undefined;
  private lastProcessed = -1;
  /** Since when the stall check has seen lag with the same committed offsets. */
  private behindSince: number | undefined;
  private checking = false;
  private readonly watchdog: NodeJS.Timeout;
  private readonly apply: BatchHandler;

  constructor(
    readonly consumer: string,
    handler: BatchHandler,
    private readonly options: KafkaSubscriptionOptions,
  ) {
    this.apply = coalescedHandler(handler, options.batchSize);
    this.watchdog = setInterval(() => void this.checkStall(), Math.max(1, Math.min(options.stallMs / 4, 5_000)));
    this.watchdog.unref();
  }

  /** Starts the first consumer; resolves once it has joined the group. */
  async start(): Promise<void> {
    try {
      await this.startConsumer();
    } catch (error) {
      this.stopping = true;
      clearInterval(this.watchdog);
      throw error;
    }
  }

  /**
   * disconnect() waits for the eachBatch in flight, then leaves the group, so the next member (or
   * a resetConsumer) does not wait for the session timeout. A replacement being started is waited
   * for, so no consumer of this subscription is left in the group. Safe to call twice.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const wake of this.wakers) wake();
    clearInterval(this.watchdog);
    await this.restarting;
    await Promise.all([this.current?.disconnect(), ...this.retiring]);
  }

  private async startConsumer(): Promise<void> {
    const { kafka, topic, groupId, partitions, fetchMaxWaitMs } = this.options;
    const consumer = kafka.consumer({
      groupId,
      maxWaitTimeInMs: fetchMaxWaitMs,
      // kafkajs restarts a crashed consumer on a timer of its own; a replaced one must stay down.
      retry: { restartOnFailure: async () => this.current === consumer && !this.stopping },
    });
    this.current = consumer;
    this.assigned = undefined;
    this.behindSince = undefined;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      if (this.current === consumer) this.assigned = new Set(payload.memberAssignment[topic] ?? []);
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart || this.current !== consumer) return;
      this.replace(`Consumer "${this.consumer}" stopped on ${String(payload.error)}`);
    });
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      // Resolves once the consumer has joined the group; fetching goes on in the background.
      await consumer.run({
        eachBatchAutoResolve: false,
        // With a threshold of 1, commitOffsetsIfNecessary commits as soon as a chunk is resolved
        // instead of on kafkajs's timer, so a restart redelivers at most the chunk in flight.
        autoCommitThreshold: 1,
        // Every partition's batch of a fetch is handed over at once, so apply can merge them.
        partitionsConsumedConcurrently: partitions,
        eachBatch: (payload) => this.handleBatch(payload),
      });
    } catch (error) {
      await consumer.disconnect();
      throw error;
    }
    // stop() may have come while this consumer was joining.
    if (this.stopping) await consumer.disconnect();
  }

  /** Retires the current consumer and starts a new one, unless one is being started already. */
  private replace(reason: string): void {
    if (this.stopping || this.restarting) return;
    this.options.logger.error(`${reason}; starting a new one`);
    const retired = this.current;
    this.current = undefined;
    if (retired) {
      // A stalled consumer may never finish leaving: the group drops it after its session timeout.
      const leaving = within(retired.disconnect().catch(() => undefined), RETIRE_MS);
      this.retiring.add(leaving);
      void leaving.finally(() => this.retiring.delete(leaving));
    }
    this.restarting = this.restartUntilRunning().finally(() => (this.restarting = undefined));
  }

  /** Starts a replacement consumer, retried with the handler's backoff until it runs or the subscription stops. */
  private async restartUntilRunning(): Promise<void> {
    for (let failures = 1; !this.stopping; failures++) {
      await this.sleep(backoffDelayMs(this.options.retryBackoff, failures));
      if (this.stopping) return;
      try {
        await this.startConsumer();
        return;
      } catch (error) {
        this.options.logger.error(`Consumer "${this.consumer}" could not restart (attempt ${failures}): ${String(error)}`);
      }
    }
  }

  private async checkStall(): Promise<void> {
    if (this.checking || this.stopping || this.restarting) return;
    this.checking = true;
    try {
      const progress = await this.options.progress(this.assigned).catch(() => undefined);
      if (this.stopping || this.restarting) return;
      // The broker away: nothing can be told, and nothing a new consumer could do better; the
      // consumer gets stallMs from the broker's return to show it recovered on its own.
      if (!progress) return void (this.behindSince = undefined);
      if (this.inHandler > 0 || progress.lag === 0 || progress.processed !== this.lastProcessed) {
        this.lastProcessed = progress.processed;
        this.behindSince = undefined;
        return;
      }
      this.behindSince ??= Date.now();
      const behindMs = Date.now() - this.behindSince;
      if (behindMs >= this.options.stallMs) {
        this.replace(`Consumer "${this.consumer}" has been ${progress.lag} behind for ${Math.round(behindMs / 1000)} s with nothing handled`);
      }
    } finally {
      this.checking = false;
    }
  }

  private async handleBatch({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }: EachBatchPayload): Promise<void> {
    // After stop() or a rebalance the rest of the batch may belong to another member: leave it
    // unresolved, so it is neither committed nor lost.
    const goOn = (): boolean => !this.stopping && isRunning() && !isStale();
    const { batchSize } = this.options;
    for (let start = 0; start < batch.messages.length; start += batchSize) {
      if (!goOn()) return;
      const messages = batch.messages.slice(start, start + batchSize);
      const records = messages.map((message) => toLogRecord(batch.partition, message));
      this.inHandler++;
      try {
        if (!(await this.applyUntilDone(records, heartbeat, goOn))) return;
      } finally {
        this.inHandler--;
      }
      for (const message of messages) resolveOffset(message.offset);
      await commitOffsetsIfNecessary();
      await heartbeat();
    }
  }

  /**
   * Hands `records` to the handler until it succeeds (true), or until the subscription stops or
   * the partition moves to another member (false: nothing applied may be committed).
   */
  private async applyUntilDone(records: LogRecord[], heartbeat: () => Promise<void>, goOn: () => boolean): Promise<boolean> {
    for (let failures = 1; ; failures++) {
      try {
        await this.apply(records);
        return true;
      } catch (error) {
        // Retried here rather than thrown to kafkajs: kafkajs would retry a few times, then
        // crash and rejoin the group (a rebalance per failure), and it never restarts after an
        // error it deems unrecoverable (a TypeError), leaving a subscription that silently
        // consumes nothing. Nothing is resolved, so nothing is committed, until it succeeds.
        const delayMs = backoffDelayMs(this.options.retryBackoff, failures);
        this.options.logger.error(
          `Consumer "${this.consumer}" failed a batch at ${records[0].position} (attempt ${failures}), retrying in ${delayMs} ms without committing: ${String(error)}`,
          error instanceof Error ? error.stack : undefined,
        );
        await this.sleep(delayMs);
        if (!goOn()) return false;
        // Keeps the membership alive through a long outage; throws when the group rebalances,
        // and kafkajs then rejoins and refetches from the committed offsets.
        await heartbeat();
      }
    }
  }

  /** Waits `ms`, or less when the subscription stops meanwhile. */
  private sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakers.add(wake);
    });
  }
}

/** `promise`, or nothing after `ms`. */
function within(promise: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    void promise.finally(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
