import { ConfigError, logLevelOf } from '@funnel/config';
import { DataDirLockedError } from '@funnel/persistence';
import { announcer, createLogger, useProcessLogger } from './logger';
import type { Runtime } from './runtime';

/** A started app as its main.ts sees it. */
export interface RunningApp {
  readonly url: string;
  readonly runtime: Runtime;
  /** What answers at `url`, for the banner. */
  readonly serves: string;
  close(): Promise<void>;
}

/** Where each store of `runtime` lives, one line each. */
export function runtimeBanner({ config, locations }: Runtime): string[] {
  const lines =
    config.eventLog === 'postgres'
      ? [`event log + read model: ${locations.postgres}`]
      : [`event log: ${locations.eventLog}`, `read model: ${locations.postgres}`];
  if (locations.clickhouse) lines.push(`facts: ${locations.clickhouse}`);
  return lines;
}

/**
 * Runs a long-lived process: starts the app, prints where it listens and what it uses, and on
 * SIGINT/SIGTERM lets it finish the work in flight, closes its stores and exits 0. A bad
 * environment prints every problem and exits 1. Everything goes through the process logger
 * named `name` (JSON lines, or readable ones on a terminal); the banner shows at any LOG_LEVEL.
 */
export function runMain(name: string, start: (log: (line: string) => void) => Promise<RunningApp>): void {
  const started = Date.now();
  const logger = useProcessLogger(createLogger(name, logLevelOf(process.env)));
  const banner = announcer(logger);
  const log = (line: string) => banner.info(line);
  // Through a promise, so a ConfigError thrown while reading the environment is reported like any other.
  Promise.resolve()
    .then(() => start(log))
    .then((app) => {
      log(`listening on ${app.url} (${app.serves})`);
      for (const line of runtimeBanner(app.runtime)) log(line);
      log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s; Ctrl-C stops`);

      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        log(`${signal} received, shutting down`);
        try {
          await app.close();
          log('stopped cleanly');
          process.exit(0);
        } catch (e) {
          logger.error({ err: e }, 'could not stop cleanly');
          process.exit(1);
        }
      };
      process.on('SIGINT', () => void stop('SIGINT'));
      process.on('SIGTERM', () => void stop('SIGTERM'));
    })
    .catch(exitWithError);
}

/**
 * Ends a command that failed: an error the user can act on (bad configuration, a data directory
 * in use) prints its message alone; anything else prints its stack. Exit code 1 either way.
 */
export function exitWithError(e: unknown): never {
  const actionable = e instanceof ConfigError || e instanceof DataDirLockedError;
  // Through the announcer: why a command stopped shows even with LOG_LEVEL=silent.
  const logger = announcer();
  if (actionable) logger.fatal((e as Error).message);
  else logger.fatal({ err: e }, (e as Error | undefined)?.message ?? String(e));
  process.exit(1);
}
