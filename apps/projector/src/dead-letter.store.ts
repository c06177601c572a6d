import type { LogRecord } from '@funnel/event-log';
import type { DataSource } from 'typeorm';

export interface DeadLetterStore {
  put(projection: string, record: LogRecord, error: string): Promise<void>;
}

/** Dead letters in the PostgreSQL read model (embedded and PostgreSQL-only deployments). */
export class PostgresDeadLetterStore implements DeadLetterStore {
  constructor(private readonly ds: DataSource) {}

  async put(projection: string, record: LogRecord, error: string): Promise<void> {
    await this.ds.query(
      `INSERT INTO dead_letters (projection, event_id, position, error, event) VALUES ($1, $2, $3, $4, $5::jsonb)
       ON CONFLICT (projection, event_id) DO UPDATE SET error = excluded.error, failed_at = now(), replayed_at = NULL`,
      [projection, record.event.id, record.position, error, JSON.stringify(record.event)],
    );
  }
}
