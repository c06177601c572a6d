import type { AppConfig, ProjectionName } from '@funnel/config';
import { announcer, openRuntime } from '@funnel/runtime';
import { Presets, SingleBar } from 'cli-progress';
import { openDeadLetterStore } from '../dead-letters/open-dead-letter-store';
import { createProjectionRunners } from '../projectors';
import { replayProjection, type ReplayProgress } from './replay';

/**
 * The replay command (`npm run replay`, `funnel replay`): opens the stores `config` names,
 * rebuilds one read model from the whole log with a progress bar on stderr, and prints the result.
 */
export async function runReplayCommand(
  config: AppConfig,
  projection: ProjectionName,
  print: (line: string) => void = (line) => announcer().info(line),
): Promise<ReplayProgress> {
  const runtime = await openRuntime(config, { app: 'replay', clickhouse: projection === 'clickhouse', log: print });
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
    print(`rebuilt ${projection} from ${done.total} events in ${seconds.toFixed(1)} s`);
    return done;
  } finally {
    bar.stop();
    await deadLetters.close();
    await runtime.close();
  }
}
