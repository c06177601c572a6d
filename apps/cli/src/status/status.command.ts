import type { Command } from 'commander';
import { println, type CliContext } from '../cli-context';
import { withServerOptions } from '../options';
import { ServerClient, type ServerOptions } from '../server-client';
import { table, words } from '../table';

/** GET /v1/status as DESIGN §2 fixes it; other numeric fields a server adds (e.g. dead letters) are shown too. */
export interface StatusBody {
  readonly accepted: number;
  readonly projections: readonly ({ readonly name: string; readonly processed: number; readonly lag: number } & Record<string, unknown>)[];
  readonly [extra: string]: unknown;
}

export function statusCommand(program: Command, ctx: CliContext): void {
  withServerOptions(
    program
      .command('status')
      .description('events accepted and, per projection, how many are processed and how many lag (GET /v1/status)'),
  ).action(async (options: ServerOptions) => {
    const status = await new ServerClient(options, ctx.fetch).getJson<StatusBody>('/v1/status');
    for (const line of renderStatus(status)) println(ctx, line);
  });
}

export function renderStatus(status: StatusBody): string[] {
  const known = new Set(['name', 'processed', 'lag']);
  const extra = [...new Set(status.projections.flatMap((p) => Object.keys(p).filter((k) => !known.has(k) && typeof p[k] === 'number')))];
  const lines = [`accepted: ${status.accepted.toLocaleString('en-US')} events`, ''];
  lines.push(
    ...table(
      ['projection', 'processed', 'lag', ...extra.map(words)],
      status.projections.map((p) => [p.name, p.processed, p.lag, ...extra.map((k) => p[k] as number | undefined)]),
    ),
  );
  for (const [key, value] of Object.entries(status)) {
    if (key !== 'accepted' && key !== 'projections' && typeof value === 'number') lines.push(`${words(key)}: ${value.toLocaleString('en-US')}`);
  }
  const behind = status.projections.filter((p) => p.lag > 0).map((p) => p.name);
  lines.push('', behind.length === 0 ? 'every read model is up to date' : `still projecting: ${behind.join(', ')}`);
  return lines;
}
