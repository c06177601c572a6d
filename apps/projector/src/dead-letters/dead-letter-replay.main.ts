import 'reflect-metadata';
import { loadConfig } from '@funnel/config';
import { exitWithError } from '@funnel/runtime';
import { projectionArg } from '../projection-arg';
import { runDeadLetterReplay } from './dead-letters.commands';

/**
 * `npm run dead-letters:replay -- --projection postgres|clickhouse`: once the cause of a poison
 * event is fixed, applies that projection's dead letters through the projection again. Letters
 * that still fail stay dead letters with their new error, and the command exits 1. Projection is
 * idempotent and order-independent, so this may run beside live projectors (embedded mode's
 * stores belong to one process: stop `npm start` first).
 */
async function main() {
  const name = projectionArg(process.argv.slice(2));
  const { failed } = await runDeadLetterReplay(loadConfig(), name);
  if (failed > 0) process.exitCode = 1;
}

main().catch(exitWithError);
