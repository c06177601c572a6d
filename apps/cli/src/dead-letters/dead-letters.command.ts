import type { ProjectionName } from '@funnel/config';
import type { Command } from 'commander';
import { println, type CliContext } from '../cli-context';
import { projectionOption } from '../options';
import { table } from '../table';

const STORES = 'Reads the store beside the log that the environment names (table dead_letters, or <KAFKA_TOPIC>.dlq)';

export function deadLettersCommand(program: Command, ctx: CliContext): void {
  const deadLetters = program
    .command('dead-letters')
    .description('events a projection could not apply: list them, or apply them again once the cause is fixed');

  deadLetters
    .command('list')
    .description(`the pending dead letters, oldest first. ${STORES}; embedded mode: stop the server first`)
    .addOption(projectionOption('only this projection\'s letters'))
    .action(async ({ projection }: { projection?: ProjectionName }) => {
      const letters = await (await ctx.maintenance()).listDeadLetters(projection);
      if (letters.length === 0) {
        println(ctx, `no pending dead letters${projection ? ` for ${projection}` : ''}`);
        return;
      }
      const rows = letters.map((l) => [l.projection, l.position, l.event.id, l.event.type, l.failedAt, l.error]);
      for (const line of table(['projection', 'position', 'event id', 'type', 'failed at', 'error'], rows)) println(ctx, line);
      println(ctx, `${letters.length} pending; apply them again with: funnel dead-letters replay --projection <name>`);
    });

  deadLetters
    .command('replay')
    .description(`apply one projection's pending dead letters again; those that fail again stay, and the exit code is 1. ${STORES}`)
    .addOption(projectionOption('the projection to apply them to').makeOptionMandatory())
    .action(async ({ projection }: { projection: ProjectionName }) => {
      const { failed } = await (await ctx.maintenance()).replayDeadLetters(projection);
      if (failed > 0) ctx.setExitCode(1);
    });
}
