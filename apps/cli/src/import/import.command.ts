import { CsvInputError, MappingError } from '@funnel/import';
import { Option, type Command } from 'commander';
import type { CliContext } from '../cli-context';
import { CliError } from '../cli-error';
import { withServerOptions } from '../options';
import { ServerError } from './http-sender';
import { runImport } from './run-import';

/** `funnel import`: the same work as `npm run import` (docs/imports.md), as a subcommand. */
export function importCommand(program: Command, ctx: CliContext): void {
  withServerOptions(
    program
      .command('import')
      .description('streams CSV files into events through a mapping (docs/imports.md) and posts them to a running server')
      .argument('<files...>', 'CSV files to import')
      .requiredOption('--mapping <mapping.json>', 'the import mapping (examples/ has Olist, HubSpot and Salesforce ones)')
      .option('--dry-run', 'map and check every row, print the first events and the rejects, send nothing')
      .addOption(new Option('--encoding <name>', "the files' encoding when not UTF-8, e.g. latin1")),
  ).action(async (files: string[], options: { mapping: string; url: string; key?: string; dryRun?: boolean; encoding?: string }) => {
    try {
      const summary = await runImport({ ...options, files });
      // Exit codes as npm run import: 1 when rows were rejected (they are in <file>.rejects.csv).
      if (summary.rejectedRows > 0) ctx.setExitCode(1);
    } catch (e) {
      if (e instanceof MappingError || e instanceof CsvInputError || e instanceof ServerError || (e as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new CliError(`import stopped: ${(e as Error).message}`);
      }
      throw e;
    }
  });
}
