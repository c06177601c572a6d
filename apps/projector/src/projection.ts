import type { LogRecord } from '@funnel/event-log';

/**
 * A read model fed from the log. `apply` must be idempotent by event id and give the same
 * result for any interleaving of subjects: the log redelivers after a crash, and Kafka orders
 * only within a partition.
 */
export interface Projection {
  readonly name: 'postgres' | 'clickhouse';
  /** Most events per apply, when it must be fewer than the log hands over (see SubscribeOptions). */
  readonly batchSize?: number;
  apply(records: readonly LogRecord[]): Promise<void>;
  /** Empties the read model so a replay can rebuild it from the log. */
  reset(): Promise<void>;
  /** Throws when the store is unreachable, so failures are retried rather than dead-lettered. */
  ping(): Promise<void>;
  /**
   * True when an error of `apply` is the store's (overload, a timeout, a lost connection, a
   * deadlock) rather than the events': the batch is then retried later, never dead-lettered.
   */
  isTransient(error: unknown): boolean;
  /** Tidies the store after a bulk load has caught up (a replay calls it before it stops). */
  settle?(): Promise<void>;
  /** Ends background work of its own; the runner calls it when it stops. */
  stop?(): Promise<void>;
}
