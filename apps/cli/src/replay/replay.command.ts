import type { Command } from 'commander';
import type { ProjectionName } from '@funnel/config';
import type { CliContext } from '../cli-context';
import { projectionOption } from '../options';

export function replayCommand(program: Command, ctx: CliContext): void {
  program
    .command('replay')
    .summary('rebuild one read model from the log (runs here, on the stores of the environment)')
    .description(
      'rebuild one read model from the whole log, with a progress bar. Runs here, against the stores the ' +
        'environment names (DATA_DIR, DATABASE_URL, EVENT_LOG, ...); embedded mode: stop the server first',
    )
    .addOption(projectionOption('the read model to rebuild').makeOptionMandatory())
    .action(async ({ projection }: { projection: ProjectionName }) => {
      await (await ctx.maintenance()).replay(projection);
    });
}
