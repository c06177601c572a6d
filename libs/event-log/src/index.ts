export type { EventLogLogger } from './event-log.logger';
export * from './event-log.port';
export { ingestionStatus, type IngestionStatus } from './ingestion-status';
export { KafkaEventLog, type KafkaEventLogOptions } from './kafka/kafka-event-log.adapter';
export { connectOnce, createOrderedProducer, ensureTopic, kafkaPosition, parseKafkaPosition, type KafkaPosition } from './kafka/kafka-setup';
export { migrateEventLog } from './postgres/event-log.migrations';
export { PostgresEventLog, type PostgresEventLogOptions } from './postgres/postgres-event-log.adapter';
export { backoffDelayMs, DEFAULT_RETRY_BACKOFF, type RetryBackoff } from './retry';
export { isUnstorableEventError } from './unstorable-event';
