/**
 * The one ClickHouse surface the product uses. Both adapters (server over HTTP with
 * @clickhouse/client, embedded chdb) run the same SQL text; callers always pass values through
 * `{name:Type}` placeholders, never splice them into SQL. The server adapter binds them; the
 * embedded one inlines them as typed literals (inlineQueryParams in clickhouse-wire.ts).
 */
export type QueryParams = Record<string, unknown>;

export interface ClickHouse {
  /** DDL and statements without a result. */
  command(sql: string, params?: QueryParams): Promise<void>;
  /** Rows of a SELECT as plain objects (JSONEachRow semantics: 64-bit ints come back as strings). */
  query<T = Record<string, unknown>>(sql: string, params?: QueryParams): Promise<T[]>;
  /** Batched insert of plain-object rows into `table`. */
  insert(table: string, rows: readonly Record<string, unknown>[]): Promise<void>;
  /**
   * Another connection to the same database whose every query runs with `settings` (e.g.
   * max_execution_time), concurrently with this one's; closed by its own close().
   */
  withSettings(settings: Readonly<Record<string, string | number>>): Promise<ClickHouse>;
  close(): Promise<void>;
}

export const CLICKHOUSE = Symbol('CLICKHOUSE');
