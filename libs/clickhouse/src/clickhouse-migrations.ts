import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { applyLayout, SINGLE_NODE_LAYOUT, type ClickHouseLayout } from './clickhouse-layout';
import type { ClickHouse } from './clickhouse.port';

const MIGRATION_FILE = /^\d{3}_[A-Za-z0-9_-]+\.sql$/;

// ReplacingMergeTree keyed by name: a file recorded twice (two processes migrating at once) is
// one row after merges, and DISTINCT reads it correctly before them.
const CREATE_MIGRATIONS_TABLE = `
  CREATE TABLE IF NOT EXISTS schema_migrations (
    name String,
    applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
  ) ENGINE = ReplacingMergeTree ORDER BY name`;

function isOnlyComments(statement: string): boolean {
  return statement.split('\n').every((line) => line.trim() === '' || line.trim().startsWith('--'));
}

/** Statements end with `;` at the end of a line; a `;` inside a line belongs to the statement. */
function statementsOf(sql: string): string[] {
  return sql
    .split(/;[ \t]*$/m)
    .map((s) => s.trim())
    .filter((s) => !isOnlyComments(s));
}

/**
 * Applies the `NNN_name.sql` files of `dir` not yet recorded in `schema_migrations`, in name
 * order, and returns the names it applied. ClickHouse DDL is not transactional: a file is
 * recorded after all its statements succeed, so a file that failed half-way runs again from its
 * first statement; write statements that can run twice (`IF NOT EXISTS`). Placeholders
 * (`{{on_cluster}}`, `{{engine:<table>:<family>}}`) are filled for `layout` (default: one node).
 */
export async function migrateClickHouse(ch: ClickHouse, dir: string, layout: ClickHouseLayout = SINGLE_NODE_LAYOUT): Promise<string[]> {
  const entries = await readdir(dir);
  const misnamed = entries.filter((f) => f.endsWith('.sql') && !MIGRATION_FILE.test(f));
  if (misnamed.length > 0) throw new Error(`ClickHouse migrations must be named NNN_name.sql: ${misnamed.join(', ')}`);
  const files = entries.filter((f) => MIGRATION_FILE.test(f)).sort();

  await ch.command(CREATE_MIGRATIONS_TABLE);
  const applied = new Set(
    (await ch.query<{ name: string }>('SELECT DISTINCT name FROM schema_migrations')).map((r) => r.name),
  );
  const newlyApplied: string[] = [];
  for (const file of files.filter((f) => !applied.has(f))) {
    for (const statement of statementsOf(applyLayout(await readFile(join(dir, file), 'utf8'), layout))) {
      await ch.command(statement);
    }
    await ch.insert('schema_migrations', [{ name: file }]);
    newlyApplied.push(file);
  }
  return newlyApplied;
}
