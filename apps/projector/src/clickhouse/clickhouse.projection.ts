import { isTransientClickHouseError, type ClickHouse } from '@funnel/clickhouse';
import { DEFAULT_STATE_COMPACTION_EVENTS } from '@funnel/config';
import type { LogRecord } from '@funnel/event-log';
import { compactState, insertFacts, truncateFacts } from '@funnel/facts';
import { Logger } from '@nestjs/common';
import { errorMessage } from '../error-message';
import type { Projection } from '../projection';

export interface StateCompaction {
  /** Events applied since the last compaction before one is due (STATE_COMPACTION_EVENTS); 0 = never. */
  readonly afterEvents: number;
  /** How long the projection must have nothing to apply before a due compaction runs (5 s). */
  readonly idleMs: number;
  /** The longest a due compaction waits for that quiet (60 s): a log that never pauses still gets one. */
  readonly maxDelayMs: number;
}

export const DEFAULT_COMPACTION: StateCompaction = { afterEvents: DEFAULT_STATE_COMPACTION_EVENTS, idleMs: 5_000, maxDelayMs: 60_000 };

/**
 * Events to ClickHouse facts (@funnel/facts owns the tables and the event-to-fact mapping).
 * After a bulk load (an import, a backlog) it compacts the state tables once the log has gone
 * quiet (or a minute after that became due), on a connection of its own so that new batches are
 * not held behind it.
 */
export class ClickHouseProjection implements Projection {
  readonly name = 'clickhouse' as const;
  private readonly logger = new Logger('projector:clickhouse');
  private sinceCompaction = 0;
  private idleTimer?: NodeJS.Timeout;
  /** When the pending compaction became due (Date.now()), while one is pending. */
  private dueSince?: number;
  private compacting?: Promise<void>;

  constructor(
    private readonly ch: ClickHouse,
    private readonly compaction: StateCompaction = DEFAULT_COMPACTION,
  ) {}

  async apply(records: readonly LogRecord[]): Promise<void> {
    await insertFacts(this.ch, records.map((r) => r.event));
    this.sinceCompaction += records.length;
    const { afterEvents } = this.compaction;
    if (afterEvents > 0 && this.sinceCompaction >= afterEvents) this.compactWhenIdle();
  }

  async ping(): Promise<void> {
    await this.ch.query('SELECT 1');
  }

  isTransient(error: unknown): boolean {
    return isTransientClickHouseError(error);
  }

  reset(): Promise<void> {
    return truncateFacts(this.ch);
  }

  /** Compacts now (a replay calls it once it has caught up). */
  async settle(): Promise<void> {
    clearTimeout(this.idleTimer);
    await this.compacting;
    this.sinceCompaction = 0;
    this.dueSince = undefined;
    const started = Date.now();
    const connection = await this.ch.withSettings({});
    try {
      await compactState(connection);
    } finally {
      await connection.close();
    }
    this.logger.log({ msg: 'compacted the state tables', ms: Date.now() - started });
  }

  /** Cancels a compaction not yet started and waits for one running. */
  async stop(): Promise<void> {
    clearTimeout(this.idleTimer);
    await this.compacting;
  }

  // Each batch pushes the compaction back, so it runs once the log is quiet rather than mid-load,
  // but never past maxDelayMs after it became due. One running is left to finish first.
  private compactWhenIdle(): void {
    if (this.compacting) return;
    const now = Date.now();
    this.dueSince ??= now;
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.compacting = this.settle()
        .catch((error: unknown) => this.logger.warn(`state compaction failed (${errorMessage(error)}); it is tried again after the next ${this.compaction.afterEvents} events`))
        .finally(() => (this.compacting = undefined));
    }, Math.max(0, Math.min(this.compaction.idleMs, this.dueSince + this.compaction.maxDelayMs - now)));
    this.idleTimer.unref();
  }
}
