import 'reflect-metadata';
import { ConfigError, loadConfig, PROJECTION_NAMES, type ProjectionName } from '@funnel/config';
import { SingleBar, Presets } from 'cli-progress';
import { createProjectionRunners } from '../../projector/src/projectors';
import { replayProjection } from '../../projector/src/replay/replay';
import { openRuntime } from './runtime';

function projectionArg(argv: readonly string[]): ProjectionName {
  const i = argv.indexOf('--projection');
  const value = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--projection='))?.split('=')[1];
  if (!value || !PROJECTION_NAMES.includes(value as ProjectionName)) {
    throw new ConfigError([`--projection must be one of ${PROJECTION_NAMES.join(', ')}, got "${value ?? ''}"`]);
  }
  return value as ProjectionName;
}

/** `npm run replay -- --projection postgres|clickhouse`: rebuilds one read model from the log. */
async function main() {
  const projection = projectionArg(process.argv.slice(2));
  const runtime = await openRuntime(loadConfig(), (l) => console.log(l));
  const [runner] = createProjectionRunners(runtime.eventLog, [projection], runtime);
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
    console.log(`rebuilt ${projection} from ${done.total} events in ${seconds.toFixed(1)} s`);
  } finally {
    bar.stop();
    await runtime.close();
  }
}

main().catch((e) => {
  console.error(e instanceof ConfigError ? e.message : e);
  process.exit(1);
});
