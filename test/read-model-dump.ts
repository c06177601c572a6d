import type { ClickHouse } from '@funnel/clickhouse';
import type { FunnelEvent } from '@funnel/contracts';
import { FACT_TABLES, factsOf } from '@funnel/facts';
import { READ_MODELS } from '@funnel/read-model';

/** Anything that runs SQL on the PostgreSQL read model (a TypeORM DataSource or a pg Pool). */
interface Sql {
  query(sql: string): Promise<unknown>;
}

/** The current-state tables and their keys, and the views over them, as reports read them. */
const POSTGRES_RELATIONS: Record<string, string> = Object.assign({}, ...READ_MODELS.flatMap((m) => [m.tables, m.views ?? {}]));

async function rows(sql: Sql, text: string): Promise<Record<string, unknown>[]> {
  const result = await sql.query(text);
  // pg's Pool answers { rows }, TypeORM the rows themselves.
  return (Array.isArray(result) ? result : (result as { rows: Record<string, unknown>[] }).rows) as Record<string, unknown>[];
}

/** Every row of the PostgreSQL read model in key order, without the wall-clock `updated_at`. */
export async function dumpPostgres(sql: Sql): Promise<Record<string, Record<string, unknown>[]>> {
  const dump: Record<string, Record<string, unknown>[]> = {};
  for (const [relation, key] of Object.entries(POSTGRES_RELATIONS)) {
    dump[relation] = (await rows(sql, `SELECT * FROM ${relation} ORDER BY ${key}`)).map(({ updated_at: _wallClock, ...row }) => row);
  }
  return dump;
}

/** Every fact, deduplicated as reports read them (FINAL), in key order. */
export async function dumpClickHouse(ch: ClickHouse): Promise<Record<string, Record<string, unknown>[]>> {
  const dump: Record<string, Record<string, unknown>[]> = {};
  for (const table of FACT_TABLES) dump[table] = await ch.query(`SELECT * FROM ${table} FINAL ORDER BY ALL`);
  return dump;
}

/** Per fact table, what `events` must leave in it whatever was delivered twice: rows (deduplicated) and event ids. */
export function expectedFactCounts(events: readonly FunnelEvent[]): Record<string, { final: number; events: number }> {
  const rows = new Map<string, number>(FACT_TABLES.map((t) => [t, 0]));
  const ids = new Map<string, Set<string>>(FACT_TABLES.map((t) => [t, new Set()]));
  for (const event of events) {
    for (const { table } of factsOf(event)) {
      rows.set(table, (rows.get(table) ?? 0) + 1);
      ids.get(table)?.add(event.id);
    }
  }
  return Object.fromEntries(FACT_TABLES.map((t) => [t, { final: rows.get(t) ?? 0, events: ids.get(t)?.size ?? 0 }]));
}

/** Per fact table, what ClickHouse holds once deduplicated: rows (FINAL) and distinct event ids. */
export async function factCounts(ch: ClickHouse): Promise<Record<string, { final: number; events: number }>> {
  const counts: Record<string, { final: number; events: number }> = {};
  for (const table of FACT_TABLES) {
    const [row] = await ch.query<{ final: string; events: string }>(
      `SELECT (SELECT count() FROM ${table} FINAL) AS final, (SELECT uniqExact(event_id) FROM ${table}) AS events`,
    );
    counts[table] = { final: Number(row.final), events: Number(row.events) };
  }
  return counts;
}
