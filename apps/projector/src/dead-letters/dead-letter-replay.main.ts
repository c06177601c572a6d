import 'reflect-metadata';
import { loadConfig } from '@funnel/config';
import { announcer, exitWithError, openRuntime } from '@funnel/runtime';
import { projectionArg } from '../projection-arg';
import { createProjection } from '../projectors';
import { openDeadLetterStore } from './open-dead-letter-store';

/**
 * `npm run dead-letters:replay -- --projection postgres|clickhouse`: once the cause of a poison
 * event is fixed, applies that projection's dead letters through the projection again. Letters
 * that still fail stay dead letters with their new error, and the command exits 1. Projection is
 * idempotent and order-independent, so this may run beside live projectors (embedded mode's
 * stores belong to one process: stop `npm start` first).
 */
async function main() {
  const name = projectionArg(process.argv.slice(2));
  const runtime = await openRuntime(loadConfig(), { app: 'dead-letter-replay', clickhouse: name === 'clickhouse' });
  const deadLetters = openDeadLetterStore(runtime);
  try {
    const projection = createProjection(name, runtime);
    const { replayed, failed } = await deadLetters.replay(name, (record) => projection.apply([record]));
    announcer().info(`${name}: replayed ${replayed} dead letter(s); ${failed} failed again and stay dead letters`);
    if (failed > 0) process.exitCode = 1;
  } finally {
    await deadLetters.close();
    await runtime.close();
  }
}

main().catch(exitWithError);
