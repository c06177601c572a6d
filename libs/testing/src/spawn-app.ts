import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { repoRoot } from '@funnel/clickhouse';

/** The built entry points (npm test builds first), run as a user runs them. */
const BUILT_MAINS = {
  standalone: 'dist/apps/standalone/src/main.js',
  'ingest-api': 'dist/apps/ingest-api/src/main.js',
  projector: 'dist/apps/projector/src/main.js',
  'reporting-api': 'dist/apps/reporting-api/src/main.js',
  'dead-letters:replay': 'dist/apps/projector/src/dead-letters/dead-letter-replay.main.js',
  funnel: 'bin/funnel.js',
} as const;

export type BuiltMain = keyof typeof BUILT_MAINS;

export interface SpawnedApp {
  readonly child: ChildProcess;
  readonly url: string;
  /** Everything it printed so far. */
  output(): string;
  /** Sends `signal` and resolves when it has exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

function mainPath(main: BuiltMain): string {
  const path = resolve(repoRoot(), BUILT_MAINS[main]);
  if (!existsSync(path)) throw new Error(`${path} is missing: run npm run build (npm test does it first)`);
  return path;
}

export function exited(child: ChildProcess): Promise<void> {
  return new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())));
}

/** Starts a built app with `env` over this process's environment; resolves once it is ready. */
export function spawnApp(main: BuiltMain, env: Record<string, string>): Promise<SpawnedApp> {
  const child = spawn(process.execPath, [mainPath(main)], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolveStart, reject) => {
    const onExit = (code: number | null) => reject(new Error(`${main} exited with ${code} before it was ready:\n${output}`));
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m && /ready in/.test(output)) {
        child.off('exit', onExit);
        resolveStart({
          child,
          url: m[1],
          output: () => output,
          async stop(signal = 'SIGTERM') {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            await exited(child);
          },
        });
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', onExit);
  });
}

/** Runs a built command to its end: its exit code and output. */
export function runCommand(main: BuiltMain, args: readonly string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [mainPath(main), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolveRun) => child.on('exit', (code) => resolveRun({ code, output })));
}
