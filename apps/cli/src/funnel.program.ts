import { Command } from 'commander';
import type { CliContext } from './cli-context';
import { deadLettersCommand } from './dead-letters/dead-letters.command';
import { definitionsCommand } from './definitions/definitions.command';
import { replayCommand } from './replay/replay.command';
import { seedCommand } from './seed/seed.command';
import { statusCommand } from './status/status.command';
import { importCommand } from './import/import.command';
import { keysCommand } from './keys/keys.command';

/** Adds one subcommand (and its own subcommands) to `program`. */
export type CommandRegistration = (program: Command, ctx: CliContext) => void;

/** Every subcommand, in the order `funnel --help` lists them. A new one is one line here. */
export const COMMANDS: readonly CommandRegistration[] = [
  statusCommand,
  seedCommand,
  definitionsCommand,
  replayCommand,
  deadLettersCommand,
  importCommand,
  keysCommand,
];

/**
 * The `funnel` program. Commander never exits the process itself (exitOverride): help, a bad flag
 * and a failed command all end in funnel.main.ts, which picks the exit code.
 */
export function createProgram(ctx: CliContext, commands: readonly CommandRegistration[] = COMMANDS): Command {
  const program = new Command('funnel')
    .description('Funnel Ledger from the command line: status, demo data, funnel definitions, replays and dead letters')
    .exitOverride()
    .configureOutput({ writeOut: ctx.stdout, writeErr: ctx.stderr })
    .showHelpAfterError('(run with --help for usage)')
    .allowExcessArguments(false);
  // Subcommands made with program.command() inherit the settings above.
  for (const register of commands) register(program, ctx);
  return program;
}
