import type { Command } from 'commander';
import { println, type CliContext } from '../cli-context';
import { CliError } from '../cli-error';
import { instant, wholeNumber, withServerOptions } from '../options';
import { ServerClient, type ServerOptions } from '../server-client';
import { generateDemoBusiness, summarizeDemo, type DemoEvent } from './demo-business';

interface SeedOptions extends ServerOptions {
  readonly demo: true;
  readonly leads: number;
  readonly seed: number;
  readonly asOf?: Date;
  readonly months: number;
  readonly prefix: string;
  readonly batch: number;
}

/** The 202/422 body of POST /v1/events (DESIGN §2). */
interface IngestResponse {
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: readonly { readonly index: number; readonly id?: string; readonly errors: readonly { path: string; message: string }[] }[];
}

/** POST /v1/events takes at most this many events per request. */
const MAX_BATCH = 10_000;

export function seedCommand(program: Command, ctx: CliContext): void {
  withServerOptions(
    program
      .command('seed')
      .summary('post a synthetic B2B business (a year of demo data) to a running server')
      .description(
        'post a synthetic B2B business to a running server (POST /v1/events): a year of campaigns and costs, ' +
          'leads, SDR follow-up, opportunities, wins, losses and stalled deals. Deterministic for --seed and ' +
          '--as-of; posting the same again adds nothing (same ids)',
      )
      .requiredOption('--demo', 'the demo business (the only data set so far)')
      .option('--leads <n>', 'leads to capture', wholeNumber(1, 200_000), 2000)
      .option('--seed <s>', 'random seed: another seed tells another story', wholeNumber(0, 2 ** 32 - 1), 1)
      .option('--as-of <instant>', "the story's now, ISO-8601 (default: the current time)", instant)
      .option('--months <m>', 'how far back the story starts', wholeNumber(1, 60), 12)
      .option('--prefix <p>', 'prefix of every id, so two demo businesses can share a server', 'demo')
      .option('--batch <n>', 'events per request', wholeNumber(1, MAX_BATCH), 5000),
  ).action(async (options: SeedOptions) => {
    const asOf = options.asOf ?? ctx.now();
    const events = generateDemoBusiness({ leads: options.leads, seed: options.seed, asOf, months: options.months, prefix: options.prefix });
    const s = summarizeDemo(events);
    println(
      ctx,
      `demo business (seed ${options.seed}, as of ${asOf.toISOString()}): ${n(s.campaigns)} campaigns, ${n(s.leads)} leads, ` +
        `${n(s.mqls)} MQLs, ${n(s.sqls)} SQLs, ${n(s.opportunities)} opportunities (${n(s.won)} won, ${n(s.lost)} lost)`,
    );
    const client = new ServerClient(options, ctx.fetch);
    const total = { accepted: 0, duplicates: 0, rejected: [] as { id?: string; errors: IngestResponse['rejected'][number]['errors'] }[] };
    let requests = 0;
    for (let i = 0; i < events.length; i += options.batch) {
      const batch: DemoEvent[] = events.slice(i, i + options.batch);
      const { body } = await client.postJson<IngestResponse>('/v1/events', { events: batch }, [202, 422]);
      requests++;
      total.accepted += body.accepted;
      total.duplicates += body.duplicates;
      total.rejected.push(...body.rejected.map((r) => ({ id: r.id ?? batch[r.index]?.id, errors: r.errors })));
    }
    println(
      ctx,
      `posted ${n(events.length)} events in ${n(requests)} request(s): ${n(total.accepted)} accepted, ` +
        `${n(total.duplicates)} duplicates, ${n(total.rejected.length)} rejected`,
    );
    if (total.rejected.length > 0) {
      const shown = total.rejected.slice(0, 5).map((r) => `  ${r.id}: ${r.errors.map((e) => `${e.path} ${e.message}`).join('; ')}`);
      throw new CliError(`the server rejected ${n(total.rejected.length)} event(s):\n${shown.join('\n')}`);
    }
    println(ctx, `the read models catch up in the background; watch them with: funnel status --url ${options.url}`);
  });
}

function n(value: number): string {
  return value.toLocaleString('en-US');
}
