import { CommanderError } from 'commander';
import type { CliContext } from './cli-context';
import { CliError } from './cli-error';
import { createProgram } from './funnel.program';
import { loadMaintenance } from './maintenance';

/** `funnel ...` (bin/funnel.js). */
const ctx: CliContext = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  fetch,
  now: () => new Date(),
  setExitCode: (code) => (process.exitCode = code),
  maintenance: () => loadMaintenance(process.env),
};

createProgram(ctx)
  .parseAsync(process.argv)
  .catch((e: unknown) => {
    // Commander has already printed its message (or the help, with exit code 0).
    if (e instanceof CommanderError) process.exitCode = e.exitCode;
    else {
      console.error(e instanceof CliError ? `error: ${e.message}` : e);
      process.exitCode = 1;
    }
  });
