/**
 * Where a migration's tables go: one node (the default) or a cluster. Migrations write
 * `{{on_cluster}}` after a DDL statement's table name and `{{engine:<table>:<family>}}` as its
 * engine (`family` = the single-node engine, e.g. ReplacingMergeTree); the runner fills them in.
 * The database is the adapter's current one (CLICKHOUSE_DATABASE / `open({ database })`).
 */
export interface ClickHouseLayout {
  /** `ON CLUSTER <cluster>` on every DDL statement; unset = one node. */
  readonly cluster?: string;
  /**
   * The engine of a table whose single-node engine is `family`. Default: `family` itself; on a
   * cluster, typically {@link replicatedEngine}.
   */
  readonly engine?: (table: string, family: string) => string;
}

/** The single-node layout every migration had before placeholders existed. */
export const SINGLE_NODE_LAYOUT: ClickHouseLayout = {};

/**
 * `Replicated<family>` with the conventional Keeper path; `{shard}` and `{replica}` are server
 * macros, `{database}` and `{table}` are expanded by ClickHouse itself.
 */
export function replicatedEngine(_table: string, family: string): string {
  return `Replicated${family}('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')`;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PLACEHOLDER = /\{\{\s*(on_cluster|engine:([A-Za-z0-9_]+):([A-Za-z]+))\s*\}\}/g;

/** A migration's SQL with its placeholders filled for `layout`; an unknown `{{...}}` is an error. */
export function applyLayout(sql: string, layout: ClickHouseLayout = SINGLE_NODE_LAYOUT): string {
  if (layout.cluster !== undefined && !IDENTIFIER.test(layout.cluster)) {
    throw new Error(`invalid ClickHouse cluster name '${layout.cluster}': use [A-Za-z_][A-Za-z0-9_]*`);
  }
  const filled = sql.replace(PLACEHOLDER, (_all, what: string, table?: string, family?: string) => {
    if (what === 'on_cluster') return layout.cluster === undefined ? '' : `ON CLUSTER ${layout.cluster}`;
    return layout.engine ? layout.engine(table!, family!) : family!;
  });
  const unknown = /\{\{[^}]*\}\}/.exec(filled);
  if (unknown) throw new Error(`unknown migration placeholder ${unknown[0]}`);
  return filled;
}
