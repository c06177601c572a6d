import { join } from 'node:path';
import type { ClickHouse } from './clickhouse.port';
import { EmbeddedClickHouse } from './embedded-clickhouse.adapter';
import { ServerClickHouse } from './server-clickhouse.adapter';

/**
 * The ClickHouse the configuration asks for: the server at `url` when set (CLICKHOUSE_URL),
 * else embedded chdb with its data under `${dataDir}/clickhouse`.
 */
export async function createClickHouse(opts: { url?: string; dataDir: string; database?: string }): Promise<ClickHouse> {
  return opts.url
    ? ServerClickHouse.connect(opts.url, { database: opts.database })
    : EmbeddedClickHouse.open(join(opts.dataDir, 'clickhouse'), { database: opts.database });
}
