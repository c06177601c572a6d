import type { LogEvent } from '@funnel/contracts';

/** An event as read back from the log, with where it sits there. */
export interface LogRecord {
  /** Opaque, increasing within the record's stream (global position, or partition:offset). */
  readonly position: string;
  readonly event: LogEvent;
  /** The request that appended it (AppendContext), for the projections' logs; absent on older records. */
  readonly requestId?: string;
  /** Who wrote it (AppendContext); absent on older records. */
  readonly writer?: string;
}

/**
 * How an append came about, stored beside the events and not in them: the event a client sent
 * is exactly what the log keeps and hands back, and a client cannot set these.
 */
export interface AppendContext {
  /** The HTTP request id (X-Request-Id), so one POST can be followed into both projections. */
  readonly requestId?: string;
  /** Who wrote the events (DESIGN §8): the API key's name, or `local` in open mode. */
  readonly writer?: string;
}

export interface AppendResult {
  /** Ids newly written to the log, in input order. */
  readonly accepted: string[];
  /** Ids that were already in the log (or earlier in the same call); nothing was written for them. */
  readonly duplicates: string[];
}

export interface ConsumerProgress {
  readonly name: string;
  /** Events this consumer has handled and committed. */
  readonly processed: number;
  /** Events in the log this consumer has not committed yet. */
  readonly lag: number;
}

/**
 * Handles one batch. The log commits the consumer's position only after this resolves, so a
 * handler must be idempotent by event id (a crash between write and commit redelivers).
 */
export type BatchHandler = (records: readonly LogRecord[]) => Promise<void>;

export interface SubscribeOptions {
  /**
   * Most records in one batch for this consumer, below the log's own cap: a handler whose batch
   * holds a shared resource (PGlite's one connection, in a transaction) asks for less.
   */
  readonly batchSize?: number;
}

export interface Subscription {
  /** Stops after the batch in flight; resolves when the consumer has stopped. */
  stop(): Promise<void>;
}

export interface EventLog {
  /** Appends validated events, first id wins; resolves once they are durable. */
  append(events: readonly LogEvent[], context?: AppendContext): Promise<AppendResult>;
  /** Starts a named consumer (a consumer group in Kafka) from its committed position. */
  subscribe(consumer: string, handler: BatchHandler, options?: SubscribeOptions): Promise<Subscription>;
  /** Total events accepted into the log. */
  acceptedCount(): Promise<number>;
  progress(consumer: string): Promise<ConsumerProgress>;
  /** Forgets a consumer's position so it replays the log from the start. */
  resetConsumer(consumer: string): Promise<void>;
  close(): Promise<void>;
}

export const EVENT_LOG = Symbol('EVENT_LOG');
