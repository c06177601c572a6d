import type { MaintenanceCommands } from './cli-context';
import { CliError } from './cli-error';

/**
 * The projector's own replay and dead-letter code, run in this process against the stores the
 * environment names (as `npm run replay` does). Loaded lazily; a bad environment or a data
 * directory held by a running server becomes a message, not a stack.
 */
export async function loadMaintenance(env: NodeJS.ProcessEnv = process.env): Promise<MaintenanceCommands> {
  await import('reflect-metadata');
  const [{ ConfigError, loadConfig }, { DataDirLockedError }, { runReplayCommand }, deadLetters] = await Promise.all([
    import('@funnel/config'),
    import('@funnel/persistence'),
    import('../../projector/src/replay/replay.command'),
    import('../../projector/src/dead-letters/dead-letters.commands'),
  ]);
  const actionable = <T>(run: () => Promise<T>): Promise<T> =>
    // Through a promise, so a ConfigError thrown while reading the environment is caught too.
    Promise.resolve()
      .then(run)
      .catch((e: unknown) => {
        throw e instanceof ConfigError || e instanceof DataDirLockedError ? new CliError(e.message) : e;
      });
  return {
    replay: (projection) => actionable(async () => void (await runReplayCommand(loadConfig(env), projection))),
    replayDeadLetters: (projection) => actionable(() => deadLetters.runDeadLetterReplay(loadConfig(env), projection)),
    listDeadLetters: (projection) => actionable(() => deadLetters.listDeadLetters(loadConfig(env), projection)),
  };
}
