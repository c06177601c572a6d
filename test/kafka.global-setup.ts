import { spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';

/**
 * Jest global setup: makes sure a Kafka broker answers on 127.0.0.1:9092 before the Kafka suites
 * run, starting the local one through infra/kafka/kafka.sh (the same script as `npm run infra:up`)
 * when nothing answers. test/kafka.global-teardown.ts stops it only if this started it.
 * Under CI=true a broker that cannot start fails the whole run at once; elsewhere the run goes on
 * and the Kafka suites fail on their own (they never skip), so the other suites still report.
 */
export const KAFKA_SCRIPT = join(__dirname, '..', 'infra', 'kafka', 'kafka.sh');
export const STARTED_BY_SETUP = '__FUNNEL_KAFKA_STARTED_BY_JEST__';

function answers(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export default async function kafkaGlobalSetup(): Promise<void> {
  // An explicit KAFKA_BROKERS points the suites at another broker: not ours to start.
  if (process.env.KAFKA_BROKERS !== undefined) return;
  if (await answers('127.0.0.1', 9092)) return;

  // Inherit stdio: the script's timings and, on failure, the broker's log tail show in the run.
  const result = spawnSync('bash', [KAFKA_SCRIPT, 'up'], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status === 0) {
    (globalThis as Record<string, unknown>)[STARTED_BY_SETUP] = true;
    return;
  }
  const reason = `infra/kafka/kafka.sh up failed (${result.error?.message ?? `exit ${String(result.status)}`})`;
  if (process.env.CI === 'true') throw new Error(`${reason}: the Kafka suites cannot run`);
  console.warn(`\n${reason}; the Kafka suites will fail. See .infra/kafka/logs/.`);
}
