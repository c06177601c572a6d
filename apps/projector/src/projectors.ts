import type { ProjectionName } from '@funnel/config';
import type { Runtime } from '@funnel/runtime';
import { ClickHouseProjection, DEFAULT_COMPACTION } from './clickhouse/clickhouse.projection';
import { reportDeadLettersOf } from './dead-letters/dead-letter.metrics';
import type { DeadLetterStore } from './dead-letters/dead-letter.store';
import { openDeadLetterStore } from './dead-letters/open-dead-letter-store';
import { PostgresProjection } from './postgres/postgres.projection';
import type { Projection } from './projection';
import { ProjectionRunner } from './projection-runner';

/** The stores a projection writes (the PostgreSQL read model, or ClickHouse in runtimes that project facts), and the configuration that says which PostgreSQL it is. */
export type ProjectionStores = Pick<Runtime, 'readModel' | 'clickhouse' | 'config'>;

export function createProjection(name: ProjectionName, stores: ProjectionStores): Projection {
  // Without DATABASE_URL the read model is PGlite, shared with the log's appends (see PostgresProjection).
  if (name === 'postgres') return new PostgresProjection(stores.readModel, { sharesOneConnection: !stores.config.databaseUrl });
  if (!stores.clickhouse) throw new Error('the clickhouse projection needs a runtime opened with ClickHouse');
  return new ClickHouseProjection(stores.clickhouse, { ...DEFAULT_COMPACTION, afterEvents: stores.config.stateCompactionEvents });
}

/** The runners for the named projections, each a consumer of the runtime's log under its own name. */
export function createProjectionRunners(
  runtime: Runtime,
  names: readonly ProjectionName[],
  deadLetters: DeadLetterStore,
): ProjectionRunner[] {
  const options = { crashPoint: runtime.config.crashPoint };
  return names.map((name) => new ProjectionRunner(runtime.eventLog, createProjection(name, runtime), deadLetters, options));
}

export interface RunningProjections {
  /** Stops every runner after its batch in flight, then closes the dead-letter store. */
  stop(): Promise<void>;
}

/** Starts the named projections of `runtime`, with dead letters going beside its log. */
export async function startProjections(runtime: Runtime, names: readonly ProjectionName[]): Promise<RunningProjections> {
  const deadLetters = openDeadLetterStore(runtime);
  reportDeadLettersOf(runtime.readModel);
  const runners = createProjectionRunners(runtime, names, deadLetters);
  const stop = async () => {
    for (const r of runners) await r.stop();
    await deadLetters.close();
  };
  try {
    for (const r of runners) await r.start();
  } catch (e) {
    await stop();
    throw e;
  }
  return { stop };
}
