import { subjectOf, type LogEvent } from '@funnel/contracts';
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
import { APPEND_LOCK_NAMESPACE } from './event-log.migrations';
import { backoffDelayMs, DEFAULT_RETRY_BACKOFF, type RetryBackoff } from '../retry';
import { inTransaction } from './pg-transaction';
import { RecentRecords } from './recent-records';

export interface PostgresEventLogOptions {
  /**
   * Most records handed to a handler at once, and the default page of `readAll` (20000). A
   * consumer that keeps up gets what was appended since its last batch, so a large cap only
   * makes the batches of a consumer that is behind larger (fewer, bigger transactions).
   */
  readonly batchSize?: number;
  /** How often an idle consumer looks for events appended by other processes (250 ms). */
  readonly idlePollMs?: number;
  /** 100 ms doubling up to 10 s. */
  readonly retryBackoff?: RetryBackoff;
  readonly logger?: EventLogLogger;
}

/*
 * Why appends serialise on a transaction-scoped advisory lock:
 * positions come from an identity sequence, which hands numbers out at INSERT time, not at
 * commit. Append A could take 10, append B take 11 and commit first; a consumer reading 11 and
 * checkpointing there would never see 10. Taking the lock before the INSERT and holding it until
 * COMMIT (PostgreSQL releases it only after the commit is visible) makes position order equal
 * commit order: what any snapshot sees is a prefix of the log (gaps only where an append rolled
 * back), so `position > checkpoint` is exact and readers need no lock and no bookkeeping.
 * The alternative, xid8 + pg_snapshot_xmin as in emmett, lets appends run in parallel but still
 * hides every event behind the oldest open append, and needs (xid, position) checkpoints to be
 * exact. Appends here are batched (up to 10,000 rows in one statement) and PGlite runs one
 * statement at a time anyway, so parallel appends would buy little.
 * The key is the table's oid, so each schema's log has its own lock; every writer of event_log
 * must go through append().
 */
const APPEND_LOCK_SQL = `SELECT pg_advisory_xact_lock($1, 'event_log'::regclass::oid::integer)`;

// ORDER BY ordinality: positions follow input order. The stats row is bumped in the same
// statement, so the counter can never disagree with the rows. `after` is the last position
// before this append (the statement's snapshot predates its own rows; the append lock keeps
// every other append out), so the rows returned are all the log holds in (after, last].
const INSERT_SQL = `
  WITH prior AS (
    SELECT coalesce(max(position), 0)::text AS after FROM event_log
  ), inserted AS (
    INSERT INTO event_log
      (event_id, type, subject_kind, subject_id, occurred_at, schema_version, source, currency, data, request_id, written_by)
    SELECT e.event_id, e.type, e.subject_kind, e.subject_id, e.occurred_at, e.schema_version,
           e.source, e.currency, e.data, $10::text, $11::text
    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::integer[],
                $7::text[], $8::text[], $9::jsonb[])
         WITH ORDINALITY
         AS e(event_id, type, subject_kind, subject_id, occurred_at, schema_version, source, currency, data, ord)
    ORDER BY e.ord
    ON CONFLICT (event_id) DO NOTHING
    RETURNING position, event_id
  ), counted AS (
    UPDATE event_log_stats SET accepted = accepted + (SELECT count(*) FROM inserted)
  )
  SELECT prior.after, inserted.position::text AS position, inserted.event_id FROM inserted, prior ORDER BY inserted.position`;

// occurred_at is formatted in SQL and data read as text so that records do not depend on the
// pg type parsers, which are process-global and may be reconfigured by other libraries. Queries
// selecting these must ORDER BY event_log.position: a bare `position` would name the text alias.
const RECORD_COLUMNS = `
  position::text AS position, event_id, type,
  to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS occurred_at,
  schema_version, source, currency, data::text AS data, request_id, written_by`;

const READ_SQL = `
  SELECT ${RECORD_COLUMNS} FROM event_log WHERE position > $1::bigint ORDER BY event_log.position LIMIT $2`;

// The checkpoint and the batch after it in one round trip; a consumer without a row starts at 0.
const READ_NEXT_BATCH_SQL = `
  SELECT c.checkpoint::text AS checkpoint, e.*
  FROM (SELECT coalesce((SELECT position FROM event_log_consumers WHERE name = $1), 0) AS checkpoint) c
  LEFT JOIN LATERAL (
    SELECT ${RECORD_COLUMNS} FROM event_log WHERE position > c.checkpoint ORDER BY event_log.position LIMIT $2
  ) e ON true`;

// Guarded by the checkpoint the batch was read after: if a reset (or a second subscriber under
// the same name) moved it meanwhile, nothing is written and `processed` is not double counted.
const COMMIT_SQL = `
  INSERT INTO event_log_consumers AS c (name, position, processed) VALUES ($1, $3, $4)
  ON CONFLICT (name) DO UPDATE
    SET position = excluded.position, processed = c.processed + excluded.processed, updated_at = now()
    WHERE c.position = $2`;

const PROGRESS_SQL = `
  SELECT s.accepted::text AS accepted, coalesce(c.processed, 0)::text AS processed
  FROM event_log_stats s LEFT JOIN event_log_consumers c ON c.name = $1`;

const RESET_SQL = `
  INSERT INTO event_log_consumers (name) VALUES ($1)
  ON CONFLICT (name) DO UPDATE SET position = 0, processed = 0, updated_at = now()`;

interface RecordRow {
  readonly position: string;
  readonly event_id: string;
  readonly type: string;
  readonly occurred_at: string;
  readonly schema_version: number;
  readonly source: string | null;
  readonly currency: string | null;
  readonly data: string;
  readonly request_id: string | null;
  readonly written_by: string | null;
}

interface AppendedRow {
  readonly after: string;
  readonly position: string;
  readonly event_id: string;
}

type BatchRow = { readonly checkpoint: string } & (RecordRow | { readonly [K in keyof RecordRow]: null });

/** The event log as an append-only PostgreSQL table (embedded PGlite or a server). */
export class PostgresEventLog implements EventLog {
  private readonly batchSize: number;
  private readonly idlePollMs: number;
  private readonly retryBackoff: RetryBackoff;
  private readonly logger: EventLogLogger;
  private readonly appends = new AppendSignal();
  private readonly subscriptions = new Set<PostgresSubscription>();
  private readonly recent: RecentRecords;

  /** The pool stays the caller's: `close()` stops consumers but does not end it. */
  constructor(
    private readonly pool: Pool,
    options: PostgresEventLogOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 20000;
    this.idlePollMs = options.idlePollMs ?? 250;
    this.retryBackoff = options.retryBackoff ?? DEFAULT_RETRY_BACKOFF;
    this.logger = options.logger ?? console;
    // Room for a few batches of every consumer, so one consumer's read serves the others.
    this.recent = new RecentRecords(4 * this.batchSize);
  }

  async append(events: readonly LogEvent[], context: AppendContext = {}): Promise<AppendResult> {
    const candidates = firstOfEachId(events);
    if (candidates.length === 0) return appendResultOf(events, new Set());
    const rows = await inTransaction(this.pool, async (client) => {
      await client.query(APPEND_LOCK_SQL, [APPEND_LOCK_NAMESPACE]);
      const result = await client.query<AppendedRow>(INSERT_SQL, [...insertParameters(candidates), context.requestId ?? null, context.writer ?? null]);
      return result.rows;
    });
    if (rows.length > 0) {
      // Committed: this process's consumers take these records from memory instead of reading them back.
      this.recent.add(rows[0].after, appendedRecords(candidates, rows, context));
      this.appends.notify();
    }
    return appendResultOf(events, new Set(rows.map((row) => row.event_id)));
  }

  /** Up to `limit` records after `afterPosition` ('0' = from the start), in log order. */
  async readAll(afterPosition = '0', limit = this.batchSize): Promise<LogRecord[]> {
    const { rows } = await this.pool.query<RecordRow>(READ_SQL, [afterPosition, limit]);
    return rows.map(toLogRecord);
  }

  async subscribe(consumer: string, handler: BatchHandler, options: SubscribeOptions = {}): Promise<Subscription> {
    const subscription = new PostgresSubscription(
      {
        pool: this.pool,
        consumer,
        handler,
        batchSize: Math.min(options.batchSize ?? this.batchSize, this.batchSize),
        idlePollMs: this.idlePollMs,
        retryBackoff: this.retryBackoff,
        logger: this.logger,
        appends: this.appends,
        recent: this.recent,
      },
      () => this.subscriptions.delete(subscription),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async acceptedCount(): Promise<number> {
    const { rows } = await this.pool.query<{ accepted: string }>('SELECT accepted::text AS accepted FROM event_log_stats');
    return Number(rows[0].accepted);
  }

  async progress(consumer: string): Promise<ConsumerProgress> {
    const { rows } = await this.pool.query<{ accepted: string; processed: string }>(PROGRESS_SQL, [consumer]);
    const accepted = Number(rows[0].accepted);
    const processed = Number(rows[0].processed);
    return { name: consumer, processed, lag: accepted - processed };
  }

  async resetConsumer(consumer: string): Promise<void> {
    await this.pool.query(RESET_SQL, [consumer]);
    for (const subscription of this.subscriptions) subscription.forgetCheckpoint(consumer);
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
  }
}

interface SubscriptionDeps {
  readonly pool: Pool;
  readonly consumer: string;
  readonly handler: BatchHandler;
  readonly batchSize: number;
  readonly idlePollMs: number;
  readonly retryBackoff: RetryBackoff;
  readonly logger: EventLogLogger;
  readonly appends: AppendSignal;
  readonly recent: RecentRecords;
}

/** One consumer loop: read after the checkpoint, handle, then move the checkpoint. */
class PostgresSubscription implements Subscription {
  private stopping = false;
  private interruptSleep: (() => void) | undefined;
  private readonly running: Promise<void>;
  /**
   * The position this consumer last committed, while no one else can have moved it: then the
   * next batch may come from the records other consumers read (RecentRecords) without asking
   * the database. Unknown at start, after a reset through this log, and after a commit the
   * guard refused; the next read fetches it with the batch.
   */
  private checkpoint: string | undefined;

  constructor(
    private readonly deps: SubscriptionDeps,
    private readonly onStopped: () => void,
  ) {
    this.running = this.run();
  }

  /** After a reset of `consumer`: the next batch reads the checkpoint from the database. */
  forgetCheckpoint(consumer: string): void {
    if (consumer === this.deps.consumer) this.checkpoint = undefined;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.interruptSleep?.();
    await this.running;
    this.onStopped();
  }

  private async run(): Promise<void> {
    const { consumer, handler, idlePollMs, retryBackoff, logger, appends } = this.deps;
    let failures = 0;
    while (!this.stopping) {
      // Taken before the read, so an append committing between the read and the sleep still wakes us.
      const appendsSeen = appends.generation;
      try {
        const { checkpoint, records } = await this.readNextBatch();
        if (records.length === 0) {
          failures = 0;
          await this.sleep(idlePollMs, appendsSeen);
          continue;
        }
        await handler(records);
        await this.commit(checkpoint, records);
        failures = 0;
      } catch (error) {
        failures++;
        const delayMs = backoffDelayMs(retryBackoff, failures);
        logger.error(
          `Consumer "${consumer}" failed a batch (attempt ${failures}), retrying in ${delayMs} ms without moving its checkpoint: ${String(error)}`,
          error instanceof Error ? error.stack : undefined,
        );
        await this.sleep(delayMs);
      }
    }
  }

  private async readNextBatch(): Promise<{ checkpoint: string; records: LogRecord[] }> {
    const { pool, consumer, batchSize, recent } = this.deps;
    if (this.checkpoint !== undefined) {
      const known = recent.take(this.checkpoint, batchSize);
      if (known.length > 0) return { checkpoint: this.checkpoint, records: known };
    }
    const { rows } = await pool.query<BatchRow>(READ_NEXT_BATCH_SQL, [consumer, batchSize]);
    const records = rows.filter((row): row is BatchRow & RecordRow => row.position !== null).map(toLogRecord);
    const checkpoint = rows[0].checkpoint;
    recent.add(checkpoint, records);
    this.checkpoint = checkpoint;
    return { checkpoint, records };
  }

  private async commit(checkpoint: string, records: readonly LogRecord[]): Promise<void> {
    const { pool, consumer, logger } = this.deps;
    const last = records[records.length - 1].position;
    const { rowCount } = await pool.query(COMMIT_SQL, [consumer, checkpoint, last, records.length]);
    // Unless a reset happened meanwhile, in which case the next read learns where it now is.
    this.checkpoint = rowCount === 0 || this.checkpoint !== checkpoint ? undefined : last;
    if (rowCount === 0) {
      logger.warn(
        `Consumer "${consumer}" was moved from position ${checkpoint} while a batch was in flight (reset, or another subscriber); continuing from its new position`,
      );
    }
  }

  /** Waits `ms`; stop() cuts it short, and so does an append here when `wakeOnAppendAfter` is given. */
  private sleep(ms: number, wakeOnAppendAfter?: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      let unsubscribe = noop;
      const wake = (): void => {
        clearTimeout(timer);
        unsubscribe();
        this.interruptSleep = undefined;
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.interruptSleep = wake;
      if (wakeOnAppendAfter !== undefined) unsubscribe = this.deps.appends.onNextAfter(wakeOnAppendAfter, wake);
    });
  }
}

/** Lets idle consumers react to appends made through the same instance without waiting for a poll. */
class AppendSignal {
  private count = 0;
  private readonly listeners = new Set<() => void>();

  get generation(): number {
    return this.count;
  }

  notify(): void {
    this.count++;
    const listeners = [...this.listeners];
    this.listeners.clear();
    for (const listener of listeners) listener();
  }

  /** Calls `listener` once, at the first append after generation `seen` (at once if it already happened). */
  onNextAfter(seen: number, listener: () => void): () => void {
    if (this.count !== seen) {
      listener();
      return noop;
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

function noop(): void {}

function insertParameters(events: readonly LogEvent[]): unknown[] {
  const subjects = events.map((event) => subjectOf(event));
  return [
    events.map((event) => event.id),
    events.map((event) => event.type),
    subjects.map((subject) => subject.kind),
    subjects.map((subject) => subject.id),
    events.map((event) => event.occurredAt),
    events.map((event) => event.schemaVersion),
    events.map((event) => event.source ?? null),
    events.map((event) => event.currency ?? null),
    events.map((event) => JSON.stringify(event.data)),
  ];
}

/**
 * The records of a committed append, exactly as a read of the table would return them: the
 * columns of RECORD_COLUMNS rebuilt in memory. `occurredAt` is already what the read's to_char
 * prints (validation normalises it to toISOString, milliseconds, years 1 to 9999), and `data`
 * goes through JSON with its keys in jsonb's order, so a consumer cannot tell where a record
 * came from: a replay (which reads the table) and live projection see the same events.
 */
function appendedRecords(events: readonly LogEvent[], rows: readonly AppendedRow[], context: AppendContext): LogRecord[] {
  const byId = new Map(events.map((event) => [event.id, event]));
  return rows.map(({ position, event_id }) => {
    const event = byId.get(event_id)!;
    return toLogRecord({
      position,
      event_id,
      type: event.type,
      occurred_at: event.occurredAt,
      schema_version: event.schemaVersion,
      source: event.source ?? null,
      currency: event.currency ?? null,
      data: JSON.stringify(event.data, jsonbKeyOrder),
      request_id: context.requestId ?? null,
      written_by: context.writer ?? null,
    });
  });
}

/**
 * JSON.stringify replacer that writes object keys in the order jsonb stores them (shorter keys
 * first, then by their UTF-8 bytes), so JSON.parse of the result equals JSON.parse of `data::text`.
 */
function jsonbKeyOrder(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const keys = Object.keys(value).map((key) => ({ key, bytes: Buffer.from(key) }));
  keys.sort((a, b) => a.bytes.length - b.bytes.length || Buffer.compare(a.bytes, b.bytes));
  return Object.fromEntries(keys.map(({ key }) => [key, (value as Record<string, unknown>)[key]]));
}

function toLogRecord(row: RecordRow): LogRecord {
  const event = {
    id: row.event_id,
    type: row.type,
    occurredAt: row.occurred_at,
    schemaVersion: row.schema_version,
    ...(row.source === null ? {} : { source: row.source }),
    ...(row.currency === null ? {} : { currency: row.currency }),
    data: JSON.parse(row.data) as unknown,
  };
  // Only events that passed validation as a LogEvent are ever appended.
  return {
    position: row.position,
    event: event as LogEvent,
    ...(row.request_id === null ? {} : { requestId: row.request_id }),
    ...(row.written_by === null ? {} : { writer: row.written_by }),
  };
}
