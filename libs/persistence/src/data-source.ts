import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { ReadModel1700000000000 } from './migrations/1700000000000-read-model.migration';
import { SubjectEvents1700000000001 } from './migrations/1700000000001-subject-events.migration';
import { FunnelDefinitions1700000000002 } from './migrations/1700000000002-funnel-definitions.migration';
import { AlertDeliveries1700000000011 } from './migrations/1700000000011-alert-deliveries.migration';
import { PersonalData1700000000015 } from './migrations/1700000000015-personal-data.migration';
import { RetractedEvents1700000000019 } from './migrations/1700000000019-retracted-events.migration';

export interface ReadModelDataSourceOptions {
  readonly url: string;
  /** Connections in the pool; PGlite serialises them anyway, a real server uses them. */
  readonly poolSize?: number;
  /** Schema to live in (tests isolate themselves this way); default public. */
  readonly schema?: string;
}

/**
 * The read model's TypeORM data source. Schema changes happen by migrations only; the tables are
 * declared as data in @funnel/read-model (no entities: nothing goes through TypeORM's repositories).
 */
export function createReadModelDataSource(opts: ReadModelDataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: opts.url,
    schema: opts.schema,
    entities: [],
    migrations: [ReadModel1700000000000, SubjectEvents1700000000001, FunnelDefinitions1700000000002, AlertDeliveries1700000000011, PersonalData1700000000015, RetractedEvents1700000000019],
    migrationsTableName: 'read_model_migrations',
    synchronize: false,
    migrationsRun: false,
    extra: {
      max: opts.poolSize ?? 4,
      ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
    },
  });
}

/** Initialises the data source and applies pending migrations. */
export async function openReadModel(opts: ReadModelDataSourceOptions): Promise<DataSource> {
  const ds = createReadModelDataSource(opts);
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  return ds;
}

/**
 * The pg pool under a data source, for code that speaks pg directly (the PostgreSQL event
 * log). Embedded mode runs everything over this one pool of ONE connection: pglite-socket
 * interleaves the extended-protocol messages of concurrent connections outside transactions
 * (measured: "bind message supplies 4 parameters, but prepared statement requires 1"), so a
 * single connection, which pg serialises, is the only safe shape.
 */
export function poolOf(ds: DataSource): Pool {
  return (ds.driver as PostgresDriver).master as Pool;
}
