import 'reflect-metadata';
import { loadConfig } from '@funnel/config';
import { exitWithError } from '@funnel/runtime';
import { projectionArg } from '../projection-arg';
import { runReplayCommand } from './replay.command';

/** `npm run replay -- --projection postgres|clickhouse`: rebuilds one read model from the log. */
async function main() {
  const projection = projectionArg(process.argv.slice(2));
  await runReplayCommand(loadConfig(), projection);
}

main().catch(exitWithError);
