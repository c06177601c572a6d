import 'reflect-metadata';
import { loadConfig } from '@funnel/config';
import { announcer, exitWithError, openRuntime } from '@funnel/runtime';
import { Presets, SingleBar } from 'cli-progress';
import { openDeadLetterStore } from '../dead-letters/open-dead-letter-store';
import { projectionArg } from '../projection-arg';
import { createProjectionRunners } from '../projectors';
import { replayProjection } from './replay';

/** `npm run replay -- --projection postgres|clickhouse`: rebuilds one read model from the log. */
async function main() {
  const projection = projectionArg(process.argv.slice(2));
  const runtime = await openRuntime(loadConfig(), { app: 'replay', clickhouse: projection === 'clickhouse', log: (l) => announcer().info(l) });
  const deadLetters = openDeadLetterStore(runtime);
  const [runner] = createProjectionRunners(runtime, [projection], deadLetters);
  const bar = new SingleBar({ format: `replay ${projection} [{bar}] {percentage}% | {value}/{total} events | {eta}s left` }, Presets.shades_classic);
  const started = Date.now();
  try {
    bar.start(await runtime.eventLog.acceptedCount(), 0);
    const done = await replayProjection(runtime.eventLog, runner, ({ processed, total }) => {
      bar.setTotal(total);
      bar.update(processed);
    });
    bar.stop();
    const seconds = (Date.now() - started) / 1000;
    announcer().info(`rebuilt ${projection} from ${done.total} events in ${seconds.toFixed(1)} s`);
  } finally {
    bar.stop();
    await deadLetters.close();
    await runtime.close();
  }
}

main().catch(exitWithError);
