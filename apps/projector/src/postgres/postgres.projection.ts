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
  // A batch is one transaction, and embedded, PGlite runs one connection's transaction at a time:
  // ingest's appends wait for it. 5,000 events keep that wait well under a second; the log's
  // 20,000 (for ClickHouse's fixed cost per INSERT) made a durable append wait seconds.
  readonly batchSize = 5000;

  constructor(private readonly ds: DataSource) {}

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
