import type { AppConfig } from '@funnel/config';
import { Logger } from '@nestjs/common';
import { Kafka, logLevel, type logCreator } from 'kafkajs';

/** kafkajs's own log lines (rebalances, retries, crashes) through the app's logger, warnings and up. */
const kafkaLogs: logCreator = () => {
  const logger = new Logger('kafka');
  return ({ namespace, level, log }) => {
    const { message, error } = log;
    // kafkajs logs every error response at ERROR, also those it handles itself (a topic another
    // process created first, a rebalance in progress); a failure that matters reaches the caller.
    if (namespace === 'Connection' && message.startsWith('Response ')) return;
    const line = `${namespace ? `${namespace}: ` : ''}${message}${error ? ` (${String(error)})` : ''}`;
    if (level === logLevel.ERROR) logger.error(line);
    else logger.warn(line);
  };
};

/** One client per process; `clientId` names the app in the broker's logs and quotas. */
export function createKafkaClient(config: AppConfig, clientId: string): Kafka {
  return new Kafka({ clientId, brokers: [...config.kafkaBrokers], logLevel: logLevel.WARN, logCreator: kafkaLogs });
}
