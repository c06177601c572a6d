import { createClickHouse, type ClickHouse } from '@funnel/clickhouse';
import { migrateFacts } from '@funnel/facts';
import type { AppConfig } from '@funnel/config';
import { KafkaEventLog, migrateEventLog, PostgresEventLog, type EventLog } from '@funnel/event-log';
import { lockDataDir, openReadModel, poolOf, startEmbeddedPostgres } from '@funnel/persistence';
import { Logger } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { resolve } from 'node:path';
import type { DataSource } from 'typeorm';
import { createKafkaClient } from './kafka-client';
import { appLogger } from './logger';
import { FACT_MIGRATION_LOCK, READ_MODEL_MIGRATION_LOCK, withMigrationLock } from './migration-lock';

/** The stores one process uses, opened and migrated; `close()` closes them in reverse order. */
export interface Runtime {
  readonly config: AppConfig;
  readonly eventLog: EventLog;
  readonly readModel: DataSource;
  /** Opened only where facts are read or written: ingest never touches ClickHouse. */
  readonly clickhouse?: ClickHouse;
  /** The broker client when EVENT_LOG=kafka, for what else talks to it (the dead-letter topic). */
  readonly kafka?: Kafka;
  /** Where each store lives, for the start-up banner. */
  readonly locations: { readonly eventLog: string; readonly postgres: string; readonly clickhouse?: string };
  close(): Promise<void>;
}

export interface RuntimeWithClickHouse extends Runtime {
  readonly clickhouse: ClickHouse;
}

export interface RuntimeOptions {
  /** Names this process to the broker (Kafka client id). */
  readonly app?: string;
  /** Open ClickHouse too (default true). */
  readonly clickhouse?: boolean;
  readonly log?: (line: string) => void;
}

/**
 * Opens what `config` points at: the event log (a PostgreSQL table, or a Kafka topic with ids
 * reserved in PostgreSQL), the PostgreSQL read model (embedded PGlite when DATABASE_URL is
 * unset) and, when asked, ClickHouse (embedded chdb when CLICKHOUSE_URL is unset). Embedded mode,
 * the three separately run apps and the maintenance commands all start here.
 */
export function openRuntime(config: AppConfig, options?: RuntimeOptions & { clickhouse?: true }): Promise<RuntimeWithClickHouse>;
export function openRuntime(config: AppConfig, options: RuntimeOptions): Promise<Runtime>;
export async function openRuntime(config: AppConfig, options: RuntimeOptions = {}): Promise<Runtime> {
  const { app = 'funnel-ledger', clickhouse: withClickHouse = true, log = () => {} } = options;
  // What the stores and projections log goes through the process logger (runMain's, or one at
  // LOG_LEVEL when a test or tool opens a runtime in-process), never Nest's plain console logger.
  appLogger();
  const dataDir = resolve(config.dataDir);
  const closers: Closers = [];
  const close = async () => {
    for (const c of closers.reverse()) await c();
  };
  try {
    // Embedded stores belong to one process: the data directory is locked while either is open.
    if (!config.databaseUrl || (withClickHouse && !config.clickhouseUrl)) closers.push(lockDataDir(dataDir));

    const { readModel, location: postgresAt } = await openPostgres(config.databaseUrl, dataDir, closers, log);
    const pool = poolOf(readModel);
    await migrateEventLog(pool);

    let clickhouse: ClickHouse | undefined;
    if (withClickHouse) {
      const opened = await createClickHouse({ url: config.clickhouseUrl, dataDir });
      closers.push(() => opened.close());
      // Processes sharing a ClickHouse server share the PostgreSQL server too: they take turns.
      // Embedded stores belong to one process (the data directory lock above).
      await (config.databaseUrl ? withMigrationLock(config.databaseUrl, FACT_MIGRATION_LOCK, () => migrateFacts(opened)) : migrateFacts(opened));
      clickhouse = opened;
    }

    const logger = new Logger('event-log');
    let kafka: Kafka | undefined;
    let eventLog: EventLog;
    if (config.eventLog === 'kafka') {
      kafka = createKafkaClient(config, app);
      eventLog = new KafkaEventLog(kafka, pool, { topic: config.kafkaTopic, logger });
    } else {
      eventLog = new PostgresEventLog(pool, { logger });
    }
    closers.push(() => eventLog.close());
    // Connects now (with Kafka, creating the topic if it is new), so a wrong KAFKA_BROKERS fails
    // the start rather than the first request.
    await eventLog.acceptedCount();

    return {
      config,
      eventLog,
      readModel,
      clickhouse,
      kafka,
      locations: {
        eventLog:
          config.eventLog === 'kafka'
            ? `Kafka topic ${config.kafkaTopic} on ${config.kafkaBrokers.join(',')}`
            : `PostgreSQL table event_log in ${postgresAt}`,
        postgres: postgresAt,
        clickhouse: withClickHouse
          ? config.clickhouseUrl
            ? withoutPassword(config.clickhouseUrl)
            : `${dataDir}/clickhouse (embedded chdb)`
          : undefined,
      },
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}

type Closers = (() => Promise<void> | void)[];

/** The read model on the server at `databaseUrl`, else on PGlite started under `dataDir`. */
async function openPostgres(
  databaseUrl: string | undefined,
  dataDir: string,
  closers: Closers,
  log: (line: string) => void,
): Promise<{ readModel: DataSource; location: string }> {
  if (databaseUrl) {
    // A server gets a real pool; processes starting together take turns at migrating.
    const readModel = await withMigrationLock(databaseUrl, READ_MODEL_MIGRATION_LOCK, () => openReadModel({ url: databaseUrl, poolSize: 8 }));
    closers.push(() => readModel.destroy());
    return { readModel, location: withoutPassword(databaseUrl) };
  }
  log(`starting embedded PostgreSQL (PGlite) in ${dataDir}/pglite`);
  const embedded = await startEmbeddedPostgres(resolve(dataDir, 'pglite'));
  closers.push(() => embedded.close());
  // Embedded: one connection for everything (see poolOf).
  const readModel = await openReadModel({ url: embedded.url, poolSize: 1 });
  closers.push(() => readModel.destroy());
  return { readModel, location: `${dataDir}/pglite (embedded, served only to this process on ${embedded.socketPath})` };
}

/** A URL fit for a log line: the password masked. */
function withoutPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
