import type { ClickHouse } from '@funnel/clickhouse';
import { isDefinitionEvent } from '@funnel/contracts';
import type { LogRecord } from '@funnel/event-log';
import type { Projection } from '../projection';
import { FACT_TABLES, factsOf, type FactTable } from './clickhouse-facts';

/**
 * Events to ClickHouse facts, one batched insert per table. Idempotent by construction: facts
 * are keyed by event id in ReplacingMergeTree tables and every read deduplicates.
 */
export class ClickHouseProjection implements Projection {
  readonly name = 'clickhouse' as const;

  constructor(private readonly ch: ClickHouse) {}

  async apply(records: readonly LogRecord[]): Promise<void> {
    const byTable = new Map<FactTable, Record<string, unknown>[]>();
    for (const { event } of records) {
      // Definitions live in PostgreSQL; facts are the business events.
      if (isDefinitionEvent(event)) continue;
      for (const { table, row } of factsOf(event)) {
        const rows = byTable.get(table) ?? [];
        rows.push(row);
        byTable.set(table, rows);
      }
    }
    for (const [table, rows] of byTable) await this.ch.insert(table, rows);
  }

  async ping(): Promise<void> {
    await this.ch.query('SELECT 1');
  }

  async reset(): Promise<void> {
    for (const table of FACT_TABLES) await this.ch.command(`TRUNCATE TABLE IF EXISTS ${table}`);
  }
}
