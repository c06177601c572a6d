import type { ClickHouse, QueryParams } from './clickhouse.port';

/**
 * Several connections as one: each call runs on an idle connection, or waits for the first that
 * becomes idle. Embedded chdb runs one query at a time per session, so the queries a report runs
 * side by side (and the reports of one lane) spread over the sessions and the cores.
 */
export class ClickHousePool implements ClickHouse {
  private readonly idle: ClickHouse[];
  private readonly waiting: ((connection: ClickHouse) => void)[] = [];

  constructor(private readonly connections: readonly ClickHouse[]) {
    if (connections.length === 0) throw new Error('a ClickHouse pool needs at least one connection');
    this.idle = [...connections];
  }

  /** `size` new connections of `base`, each running every query with `settings`. */
  static async open(base: ClickHouse, size: number, settings: Readonly<Record<string, string | number>>): Promise<ClickHousePool> {
    const connections: ClickHouse[] = [];
    for (let i = 0; i < size; i++) connections.push(await base.withSettings(settings));
    return new ClickHousePool(connections);
  }

  command(sql: string, params?: QueryParams): Promise<void> {
    return this.using((connection) => connection.command(sql, params));
  }

  query<T = Record<string, unknown>>(sql: string, params?: QueryParams): Promise<T[]> {
    return this.using((connection) => connection.query<T>(sql, params));
  }

  insert(table: string, rows: readonly Record<string, unknown>[]): Promise<void> {
    return this.using((connection) => connection.insert(table, rows));
  }

  withSettings(settings: Readonly<Record<string, string | number>>): Promise<ClickHouse> {
    return this.using((connection) => connection.withSettings(settings));
  }

  async close(): Promise<void> {
    for (const connection of this.connections) await connection.close();
  }

  private async using<T>(work: (connection: ClickHouse) => Promise<T>): Promise<T> {
    const connection = this.idle.pop() ?? (await new Promise<ClickHouse>((resolve) => this.waiting.push(resolve)));
    try {
      return await work(connection);
    } finally {
      const next = this.waiting.shift();
      if (next) next(connection);
      else this.idle.push(connection);
    }
  }
}
