import type { LogRecord } from '@funnel/event-log';
import { isTransientPostgresError } from '@funnel/persistence';
import { applyReadModels, READ_MODELS } from '@funnel/read-model';
import type { DataSource } from 'typeorm';
import type { Projection } from '../projection';

/**
 * Events to the PostgreSQL read models (@funnel/read-model declares each table and how a batch
 * changes it), all of a batch in one transaction. Every state field is an earliest/latest choice
 * by (occurredAt, eventId), so redelivered or shuffled events give the same rows.
 */
export class PostgresProjection implements Projection {
  readonly name = 'postgres' as const;
  readonly batchSize?: number;

  /**
   * `sharesOneConnection`: the read model is PGlite, which runs one transaction at a time for
   * every connection, ingest's appends included. A batch is one transaction, so it is held to
   * 5,000 events, which keeps that wait well under a second; the log's 20,000 (sized for
   * ClickHouse's fixed cost per INSERT) made a durable append wait seconds. A server has no such wait.
   */
  constructor(
    private readonly ds: DataSource,
    opts: { sharesOneConnection?: boolean } = {},
  ) {
    if (opts.sharesOneConnection) this.batchSize = 5000;
  }

  async apply(records: readonly LogRecord[]): Promise<void> {
    await this.ds.transaction((em) => applyReadModels(em, records.map((r) => r.event)));
  }

  async ping(): Promise<void> {
    await this.ds.query('SELECT 1');
  }

  isTransient(error: unknown): boolean {
    return isTransientPostgresError(error);
  }

  /** Empties every read model, each by its own reset; dead letters are not a read model's. */
  async reset(): Promise<void> {
    await this.ds.transaction(async (em) => {
      for (const model of READ_MODELS) await model.reset(em);
    });
  }
}
