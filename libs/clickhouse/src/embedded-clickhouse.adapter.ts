import type { ChdbResult, Session } from 'chdb';
import type { ClickHouse, QueryParams } from './clickhouse.port';
import { parseClickHouseException } from './clickhouse-query.error';
import {
  DEFAULT_CLICKHOUSE_DATABASE,
  PINNED_SETTINGS,
  assertIdentifier,
  hasParams,
  inlineQueryParams,
  stringifyRow,
} from './clickhouse-wire';
import { closeChdbSession, openChdbSession } from './chdb-session.registry';

/**
 * Parameters are inlined here (inlineQueryParams), so they count toward the query text that
 * ClickHouse parses: a batch's 5,000 event ids in an Array(String) passes the default 256 KiB.
 * 64 MiB holds about two million ids.
 */
const INLINED_MAX_QUERY_BYTES = 64 * 2 ** 20;

/**
 * Planner settings of the engine chdb bundles (a server of another version may not know them).
 * The reports join a large input on the left to a small one on the right, the small one being
 * the hash table; the planner's automatic swap cannot estimate the rows of an aggregating
 * subquery and built the table from the left instead: at 1M leads, the funnel by campaign took
 * 650 ms with it and 470 ms without, and 1.03 GiB against 0.81 GiB (docs/scaling.md).
 */
const EMBEDDED_PLAN_SETTINGS = { query_plan_join_swap_table: 0 } as const;

function asQueryError(e: unknown): unknown {
  return (e instanceof Error && parseClickHouseException(e.message, e)) || e;
}

function parseJsonEachRow<T>(text: string): T[] {
  const rows: T[] = [];
  for (const line of text.split('\n')) if (line.length > 0) rows.push(JSON.parse(line) as T);
  return rows;
}

/**
 * ClickHouse in-process (chdb) on a data directory. Queries run on libuv worker threads
 * (`queryAsync`), never on the event loop, with their parameters inlined (inlineQueryParams), so
 * that queries on different sessions run side by side.
 */
export class EmbeddedClickHouse implements ClickHouse {
  private constructor(
    private readonly session: Session,
    readonly database: string,
    private readonly dataDir: string,
  ) {}

  /**
   * Opens `dataDir` (created if missing) with `database` (default `funnel`, created if missing)
   * as the current database. One data directory per process: see {@link openChdbSession}.
   */
  static async open(
    dataDir: string,
    opts: { database?: string; settings?: Readonly<Record<string, string | number>> } = {},
  ): Promise<EmbeddedClickHouse> {
    const database = assertIdentifier(opts.database ?? DEFAULT_CLICKHOUSE_DATABASE);
    const session = openChdbSession(dataDir, { ...PINNED_SETTINGS, ...EMBEDDED_PLAN_SETTINGS, max_query_size: INLINED_MAX_QUERY_BYTES, ...opts.settings });
    try {
      await session.queryAsync(`CREATE DATABASE IF NOT EXISTS ${database}`);
      await session.queryAsync(`USE ${database}`);
    } catch (e) {
      await closeChdbSession(session);
      throw asQueryError(e);
    }
    return new EmbeddedClickHouse(session, database, dataDir);
  }

  /** A second chdb session on the same directory: one session runs one query at a time, two run side by side. */
  withSettings(settings: Readonly<Record<string, string | number>>): Promise<ClickHouse> {
    return EmbeddedClickHouse.open(this.dataDir, { database: this.database, settings });
  }

  async command(sql: string, params?: QueryParams): Promise<void> {
    await this.run(sql, params, 'TabSeparated');
  }

  async query<T = Record<string, unknown>>(sql: string, params?: QueryParams): Promise<T[]> {
    const result = await this.run(sql, params, 'JSONEachRow');
    return parseJsonEachRow<T>(result.text());
  }

  async insert(table: string, rows: readonly Record<string, unknown>[]): Promise<void> {
    if (rows.length === 0) return;
    // One JSONEachRow buffer handed to the engine's parser: no per-row SQL is built.
    const payload = Buffer.from(rows.map(stringifyRow).join('\n'));
    try {
      await this.session.insert({ table, values: payload, format: 'JSONEachRow' });
    } catch (e) {
      throw asQueryError(e);
    }
  }

  async close(): Promise<void> {
    await closeChdbSession(this.session);
  }

  private async run(sql: string, params: QueryParams | undefined, format: string): Promise<ChdbResult> {
    try {
      return await this.session.queryAsync(hasParams(params) ? inlineQueryParams(sql, params) : sql, { format });
    } catch (e) {
      throw asQueryError(e);
    }
  }
}
