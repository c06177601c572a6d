import { spawnSync } from 'node:child_process';
import { KAFKA_SCRIPT, STARTED_BY_SETUP } from './kafka.global-setup';

/** Stops the broker only if test/kafka.global-setup.ts started it: a developer's stays up. */
export default async function kafkaGlobalTeardown(): Promise<void> {
  if ((globalThis as Record<string, unknown>)[STARTED_BY_SETUP] !== true) return;
  spawnSync('bash', [KAFKA_SCRIPT, 'down'], { stdio: ['ignore', 'inherit', 'inherit'] });
}
