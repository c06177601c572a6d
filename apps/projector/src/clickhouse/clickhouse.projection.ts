import { isTransientClickHouseError, type ClickHouse } from '@funnel/clickhouse';
import type { LogRecord } from '@funnel/event-log';
import { insertFacts, truncateFacts } from '@funnel/facts';
import type { Projection } from '../projection';

/** Events to ClickHouse facts (@funnel/facts owns the tables and the event-to-fact mapping). */
export class ClickHouseProjection implements Projection {
  readonly name = 'clickhouse' as const;

  constructor(private readonly ch: ClickHouse) {}

  apply(records: readonly LogRecord[]): Promise<void> {
    return insertFacts(this.ch, records.map((r) => r.event));
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
}
