import type { ProjectionName } from '@funnel/config';
import type { LogEvent } from '@funnel/contracts';
import type { LogRecord } from '@funnel/event-log';

/** What one replay did. */
export interface DeadLetterReplay {
  /** Applied this time: done with. */
  readonly replayed: number;
  /** Failed again: kept, with the new error, for a later replay. */
  readonly failed: number;
}

/** A parked event not replayed yet, as `funnel dead-letters list` shows it. */
export interface DeadLetter {
  readonly projection: ProjectionName;
  /** Where the event sits in the log. */
  readonly position: string;
  /** The latest failure. */
  readonly error: string;
  readonly failedAt: string;
  readonly event: LogEvent;
}

/**
 * Where a projection parks an event it cannot apply (a poison event), with the error, so it can
 * keep going; and where `npm run dead-letters:replay` takes them back from once the cause is fixed.
 * The PostgreSQL log keeps them in the `dead_letters` table, the Kafka log in `<topic>.dlq`.
 */
export interface DeadLetterStore {
  put(projection: ProjectionName, record: LogRecord, error: string): Promise<void>;
  /**
   * Hands each dead letter of `projection` not replayed yet to `apply`, oldest first. One that
   * `apply` takes is done; one it throws on stays a dead letter with the new error.
   */
  replay(projection: ProjectionName, apply: (record: LogRecord) => Promise<void>): Promise<DeadLetterReplay>;
  /** The letters of `projection` (default: every projection) that a replay would offer now, oldest first. */
  list(projection?: ProjectionName): Promise<DeadLetter[]>;
  /**
   * Forgets the dead letters of `projection` where the store can: a replay of the projection
   * from the whole log meets every poison event again, and re-parks those that still fail.
   */
  discard(projection: ProjectionName): Promise<void>;
  close(): Promise<void>;
}
