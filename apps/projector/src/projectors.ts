import type { ClickHouse } from '@funnel/clickhouse';
import type { ProjectionName } from '@funnel/config';
import type { EventLog } from '@funnel/event-log';
import type { DataSource } from 'typeorm';
import { ClickHouseProjection } from './clickhouse/clickhouse.projection';
import { PostgresDeadLetterStore } from './dead-letter.store';
import { PostgresProjection } from './postgres/postgres.projection';
import type { Projection } from './projection';
import { ProjectionRunner } from './projection-runner';

export interface ProjectionStores {
  readonly readModel: DataSource;
  readonly clickhouse: ClickHouse;
}

export function createProjection(name: ProjectionName, stores: ProjectionStores): Projection {
  return name === 'postgres' ? new PostgresProjection(stores.readModel) : new ClickHouseProjection(stores.clickhouse);
}

/** The runners for the configured projections, each a consumer of the log under its own name. */
export function createProjectionRunners(
  log: EventLog,
  names: readonly ProjectionName[],
  stores: ProjectionStores,
): ProjectionRunner[] {
  const deadLetters = new PostgresDeadLetterStore(stores.readModel);
  return names.map((name) => new ProjectionRunner(log, createProjection(name, stores), deadLetters));
}
