import { subjectOf, type LogEvent } from '@funnel/contracts';
import type { KafkaMessage, Message } from 'kafkajs';
import type { AppendContext, LogRecord } from '../event-log.port';
import { kafkaPosition } from './kafka-setup';

/** Events to Kafka messages and back. The append's context travels in headers, so the message value is exactly the event. */
const REQUEST_ID_HEADER = 'request-id';
const WRITER_HEADER = 'writer';

export function toMessage(event: LogEvent, { requestId, writer }: AppendContext): Message {
  return {
    key: subjectOf(event).id,
    value: JSON.stringify(event),
    headers: {
      'event-type': event.type,
      'event-id': event.id,
      ...(requestId ? { [REQUEST_ID_HEADER]: requestId } : {}),
      ...(writer ? { [WRITER_HEADER]: writer } : {}),
    },
  };
}

export function toLogRecord(partition: number, message: KafkaMessage): LogRecord {
  const position = kafkaPosition({ partition, offset: message.offset });
  const text = message.value?.toString() ?? '';
  try {
    // Only events that passed validation (or were written by a definition mutation) are ever produced.
    const requestId = message.headers?.[REQUEST_ID_HEADER]?.toString();
    const writer = message.headers?.[WRITER_HEADER]?.toString();
    return { position, event: JSON.parse(text) as LogEvent, ...(requestId ? { requestId } : {}), ...(writer ? { writer } : {}) };
  } catch {
    // Bytes that are not JSON came from some other producer. Throwing here would stall the
    // partition forever; handed on as a record no projection can apply, they are dead-lettered
    // with their text and the events behind them go on.
    const undecodable = { id: `undecodable:${position}`, type: 'Undecodable', occurredAt: new Date(Number(message.timestamp)).toISOString(), schemaVersion: 1, data: { value: text } };
    return { position, event: undecodable as unknown as LogEvent };
  }
}
