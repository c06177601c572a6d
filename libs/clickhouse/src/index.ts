export * from './clickhouse.port';
export { ClickHouseQueryError } from './clickhouse-query.error';
export { DEFAULT_CLICKHOUSE_DATABASE } from './clickhouse-wire';
export { EmbeddedClickHouse } from './embedded-clickhouse.adapter';
export { ServerClickHouse } from './server-clickhouse.adapter';
export { createClickHouse } from './create-clickhouse';
export { migrateClickHouse } from './clickhouse-migrations';
export { repoRoot } from './repo-path';
export { closeChdbSession, openChdbSession } from './chdb-session.registry';
