import { ClickHouseError, createClient, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client';
import type { ClickHouse, QueryParams } from './clickhouse.port';
import { ClickHouseQueryError } from './clickhouse-query.error';
import {
  DEFAULT_CLICKHOUSE_DATABASE,
  PINNED_SETTINGS,
  assertIdentifier,
  bindQueryParams,
  hasParams,
  stringifyRow,
} from './clickhouse-wire';

function asQueryError(e: unknown): unknown {
  return e instanceof ClickHouseError ? new ClickHouseQueryError(e.message.trim(), Number(e.code), e.type ?? '', { cause: e }) : e;
}

async function mapErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw asQueryError(e);
  }
}

function open(url: URL, database: string, settings: Readonly<Record<string, string | number>> = {}): ClickHouseClient {
  return createClient({
    url,
    database,
    // The client types each known setting; ours are checked by the server itself.
    clickhouse_settings: { ...PINNED_SETTINGS, ...settings } as ClickHouseSettings,
    json: { parse: JSON.parse, stringify: stringifyRow },
  });
}

/** A ClickHouse server over HTTP(S) with @clickhouse/client. */
export class ServerClickHouse implements ClickHouse {
  private constructor(
    private readonly client: ClickHouseClient,
    readonly database: string,
    private readonly serverUrl: URL,
  ) {}

  /**
   * Connects to `url` (`http[s]://[user:password@]host:port[/database]`) and creates the
   * database if it is missing. The database is `opts.database`, else the URL path, else `funnel`.
   */
  static async connect(url: string, opts: { database?: string } = {}): Promise<ServerClickHouse> {
    const serverUrl = new URL(url);
    const database = assertIdentifier(opts.database ?? (serverUrl.pathname.slice(1) || DEFAULT_CLICKHOUSE_DATABASE));
    // @clickhouse/client reads a URL path as the database: it is replaced by the one chosen above.
    serverUrl.pathname = '/';
    const admin = open(serverUrl, 'default');
    try {
      await mapErrors(async () => {
        // Checked before creating, so a user allowed to use but not to create databases can connect.
        const found = await admin.query({
          query: 'SELECT 1 FROM system.databases WHERE name = {database:String}',
          query_params: { database },
          format: 'JSONEachRow',
        });
        if ((await found.json()).length === 0) await admin.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` });
      });
    } finally {
      await admin.close();
    }
    return new ServerClickHouse(open(serverUrl, database), database, serverUrl);
  }

  /** A client of its own: the server runs its queries side by side with this one's. */
  async withSettings(settings: Readonly<Record<string, string | number>>): Promise<ClickHouse> {
    return new ServerClickHouse(open(this.serverUrl, this.database, settings), this.database, this.serverUrl);
  }

  async command(sql: string, params?: QueryParams): Promise<void> {
    await mapErrors(() =>
      this.client.command({ query: sql, query_params: hasParams(params) ? bindQueryParams(sql, params) : undefined }),
    );
  }

  async query<T = Record<string, unknown>>(sql: string, params?: QueryParams): Promise<T[]> {
    return mapErrors(async () => {
      const result = await this.client.query({
        query: sql,
        query_params: hasParams(params) ? bindQueryParams(sql, params) : undefined,
        format: 'JSONEachRow',
      });
      return result.json<T>();
    });
  }

  async insert(table: string, rows: readonly Record<string, unknown>[]): Promise<void> {
    if (rows.length === 0) return;
    await mapErrors(() => this.client.insert({ table, values: rows, format: 'JSONEachRow' }));
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
