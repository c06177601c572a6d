import { CLICKHOUSE_MIGRATIONS_DIR, createClickHouse, migrateClickHouse, type ClickHouse } from '@funnel/clickhouse';
import type { AppConfig } from '@funnel/config';
import { migrateEventLog, PostgresEventLog, type EventLog } from '@funnel/event-log';
import { lockDataDir, openReadModel, poolOf, startEmbeddedPostgres } from '@funnel/persistence';
import { resolve } from 'node:path';
import type { DataSource } from 'typeorm';

/** Every store the embedded product uses, opened, migrated, and closed in reverse order. */
export interface Runtime {
  readonly config: AppConfig;
  readonly eventLog: EventLog;
  readonly readModel: DataSource;
  readonly clickhouse: ClickHouse;
  /** Where each store lives, for the start-up banner. */
  readonly locations: { postgres: string; clickhouse: string };
  close(): Promise<void>;
}

export async function openRuntime(config: AppConfig, log: (line: string) => void = () => {}): Promise<Runtime> {
  const dataDir = resolve(config.dataDir);
  const closers: (() => Promise<void> | void)[] = [];
  const close = async () => {
    for (const c of closers.reverse()) await c();
  };
  try {
    if (!config.databaseUrl || !config.clickhouseUrl) closers.push(lockDataDir(dataDir));

    let url = config.databaseUrl;
    let postgresAt = config.databaseUrl ?? '';
    if (!url) {
      log(`starting embedded PostgreSQL (PGlite) in ${dataDir}/pglite`);
      const embedded = await startEmbeddedPostgres(resolve(dataDir, 'pglite'));
      closers.push(() => embedded.close());
      url = embedded.url;
      postgresAt = `${dataDir}/pglite (embedded, served at ${embedded.url})`;
    }

    // Embedded: one connection for everything (see poolOf); a server gets a real pool.
    const readModel = await openReadModel({ url, poolSize: config.databaseUrl ? 8 : 1 });
    closers.push(() => readModel.destroy());
    const pool = poolOf(readModel);
    await migrateEventLog(pool);

    const clickhouse = await createClickHouse({ url: config.clickhouseUrl, dataDir });
    closers.push(() => clickhouse.close());
    await migrateClickHouse(clickhouse, CLICKHOUSE_MIGRATIONS_DIR);

    const eventLog = new PostgresEventLog(pool);
    closers.push(() => eventLog.close());

    return {
      config,
      eventLog,
      readModel,
      clickhouse,
      locations: {
        postgres: postgresAt,
        clickhouse: config.clickhouseUrl ?? `${dataDir}/clickhouse (embedded chdb)`,
      },
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}
