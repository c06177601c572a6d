export type { EventLogLogger } from './event-log.logger';
export * from './event-log.port';
export { ingestionStatus, type IngestionStatus } from './ingestion-status';
export { KafkaEventLog, type KafkaEventLogOptions } from './kafka/kafka-event-log.adapter';
export { migrateEventLog } from './postgres/event-log.migrations';
export { PostgresEventLog, type PostgresEventLogOptions, type RetryBackoff } from './postgres/postgres-event-log.adapter';
export { isUnstorableEventError } from './unstorable-event';
