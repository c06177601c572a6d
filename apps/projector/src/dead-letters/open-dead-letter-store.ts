import type { Runtime } from '@funnel/runtime';
import type { DeadLetterStore } from './dead-letter.store';
import { KafkaDeadLetterStore } from './kafka-dead-letter.store';
import { PostgresDeadLetterStore } from './postgres-dead-letter.store';

/** Dead letters live beside the log: on `<topic>.dlq` with Kafka, in `dead_letters` otherwise. */
export function openDeadLetterStore(runtime: Runtime): DeadLetterStore {
  return runtime.kafka
    ? new KafkaDeadLetterStore(runtime.kafka, runtime.config.kafkaTopic, new PostgresDeadLetterStore(runtime.readModel))
    : new PostgresDeadLetterStore(runtime.readModel);
}
