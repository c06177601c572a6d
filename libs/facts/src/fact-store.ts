import { migrateClickHouse, repoRoot, type ClickHouse, type ClickHouseLayout } from '@funnel/clickhouse';
import { businessEvents, type LogEvent } from '@funnel/contracts';
import { join } from 'node:path';
import { FACT_TABLES, STATE_TABLES, type FactTable } from './fact-tables';
import { factsOf } from './facts-of';
import { applyRetractions, RETRACTED_EVENTS_TABLE, withoutRetracted } from './retractions';

/**
 * The fact tables' migrations, `NNN_name.sql`. A schema change is a new file; an applied file
 * is never edited (schema_migrations records it by name and will not run it again).
 */
export const FACT_MIGRATIONS_DIR = join(repoRoot(), 'libs/facts/migrations');

/** Creates or upgrades the fact and state tables (on one node unless `layout` says otherwise); returns the files it applied. */
export function migrateFacts(ch: ClickHouse, layout?: ClickHouseLayout): Promise<string[]> {
  return migrateClickHouse(ch, FACT_MIGRATIONS_DIR, layout);
}

/**
 * Writes the facts of `events`, one batched insert per table, leaving retracted events out and
 * taking out those the batch retracts. Idempotent by construction: facts are keyed by event id
 * in ReplacingMergeTree tables and every read deduplicates.
 */
export async function insertFacts(ch: ClickHouse, batch: readonly LogEvent[]): Promise<void> {
  const events = await withoutRetracted(ch, batch);
  const byTable = new Map<FactTable, Record<string, unknown>[]>();
  // Definitions, SLA breaches, review decisions and retractions live in PostgreSQL; facts are the business events.
  for (const event of businessEvents(events)) {
    for (const { table, row } of factsOf(event)) {
      const rows = byTable.get(table) ?? [];
      rows.push(row);
      byTable.set(table, rows);
    }
  }
  for (const [table, rows] of byTable) await ch.insert(table, rows);
  await applyRetractions(ch, events);
}

/**
 * Merges each state table into one row per subject (`OPTIMIZE ... FINAL`). Readers are right
 * either way, since they merge per subject, but a bulk load leaves a subject's rows spread over
 * many parts until background merges meet them: after 12M generated fact rows lead_state held
 * 5.2M rows for 1M leads, and every report merged all of them (docs/scaling.md).
 */
export async function compactState(ch: ClickHouse): Promise<void> {
  for (const table of STATE_TABLES) await ch.command(`OPTIMIZE TABLE ${table} FINAL`);
}

/** Empties every fact table and the state derived from them, so a replay can rebuild them from the log. */
export async function truncateFacts(ch: ClickHouse): Promise<void> {
  for (const table of [...FACT_TABLES, ...STATE_TABLES, RETRACTED_EVENTS_TABLE]) await ch.command(`TRUNCATE TABLE IF EXISTS ${table}`);
}
