import 'reflect-metadata';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fmtNum, gitCommit, machineFacts, parseOptions, rssSampler, SCENARIOS, table, TARGETS, timed, type ScenarioName, type ScenarioResult } from './common';
import { sizeAt } from './generate';
import { attributionScenario } from './scenarios/attribution';
import { dashboardScenario } from './scenarios/dashboard';
import { dashboardOlistScenario, OLIST_AVAILABLE } from './scenarios/dashboard-olist';
import { embeddedServer } from './scenarios/embedded-server';
import { funnelScenario } from './scenarios/funnel';
import { growthScenario } from './scenarios/growth';
import { importScenario } from './scenarios/import';
import { ingestEmbeddedScenario } from './scenarios/ingest-embedded';
import { ingestKafkaScenario } from './scenarios/ingest-kafka';
import { lagScenario } from './scenarios/lag';
import { replayScenario } from './scenarios/replay';
import { reportData } from './scenarios/report-data';
import { generateStream } from './stream';

/** The most events the lag scenario posts per second. */
const LAG_MAX_RATE = 15_000;
/** The lag scenario's events come from chunks of the stream no ingest run reaches. */
const LAG_FIRST_CHUNK = 100_000;

/**
 * `npm run bench [-- --quick] [--scale N] [--mode embedded|kafka] [--only a,b]`: issue 10's
 * scenarios, each beside its reference measured in the same run; prints a table and writes
 * bench/results.json. See docs/benchmark.md.
 */
async function main(): Promise<boolean> {
  // The servers' request and projection logs would bury the table (LOG_LEVEL=info shows them).
  process.env.LOG_LEVEL ??= 'warn';
  const opts = parseOptions(process.argv.slice(2));
  const rss = rssSampler();
  const machine = machineFacts();
  const size = sizeAt(opts.scale);
  const on = (s: ScenarioName) => opts.only.includes(s);
  console.log(`Funnel Ledger bench — ${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, node ${machine.node}`);
  console.log(`mode ${opts.mode}${opts.quick ? ', quick' : ''}; scale ${opts.scale} (${size.touches.toLocaleString('en-US')} touches, ${size.leads.toLocaleString('en-US')} leads, ${size.opportunities.toLocaleString('en-US')} opportunities); ingest ${opts.ingest.toLocaleString('en-US')} events; ${opts.runs} runs after a warm-up; scenarios ${opts.only.join(', ')}\n`);

  const results = Object.fromEntries(SCENARIOS.map((s) => [s, notRun(s)])) as Record<ScenarioName, ScenarioResult>;
  // Peak RSS per phase (sampled), so the memory figure says which work needs it.
  const peakMiBByPhase: Record<string, number> = {};
  const phase = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    rss.window();
    try {
      return await work();
    } finally {
      peakMiBByPhase[name] = rss.window() / 2 ** 20;
    }
  };
  const run = async (name: ScenarioName, work: () => Promise<ScenarioResult>) => {
    console.log(`> ${name}`);
    const { ms, result } = await phase(name, () => timed(work));
    results[name] = { ...result, seconds: ms / 1000 };
    console.log(`  ${fmtNum(result.value)} ${result.unit}${result.reference === null ? '' : ` (reference ${fmtNum(result.reference)}, ratio ${fmtNum(result.ratio)})`} in ${(ms / 1000).toFixed(1)} s\n`);
  };

  const needsStream = on('ingest_embedded') || on('lag') || on('replay') || on('ingest_kafka');
  const ingestEvents = needsStream ? generateStream(opts.ingest).events : [];

  if (opts.mode === 'embedded' && (on('ingest_embedded') || on('lag') || on('replay'))) {
    const server = await embeddedServer();
    try {
      // lag and replay need the server to have ingested; ingest_embedded is that run, timed.
      await run('ingest_embedded', () => ingestEmbeddedScenario(server, ingestEvents));
      if (!on('ingest_embedded')) results.ingest_embedded = notRun('ingest_embedded');
      const sustained = results.ingest_embedded.value ?? 0;
      if (on('lag')) {
        const rate = Math.min(LAG_MAX_RATE, sustained / 2);
        const events = generateStream(Math.ceil(rate * opts.lagSeconds) + 1, LAG_FIRST_CHUNK).events;
        await run('lag', () => lagScenario(server, events, rate, opts.lagSeconds));
      }
      if (on('replay')) await run('replay', () => replayScenario(server));
    } finally {
      await server.close();
    }
  }
  if (on('ingest_kafka')) await run('ingest_kafka', () => ingestKafkaScenario(ingestEvents));
  if (on('import')) await run('import', () => importScenario(opts.importRows));
  if (on('dashboard_olist')) {
    if (OLIST_AVAILABLE) await run('dashboard_olist', () => dashboardOlistScenario(opts.runs));
    else console.log('> dashboard_olist: not run, ../shared/data/olist-marketing-funnel is not beside the repository\n');
  }

  let generatePeakRssMiB: number | null = null;
  let reportsPeakRssMiB: number | null = null;
  if (on('attribution') || on('funnel') || on('growth') || on('dashboard')) {
    console.log(`> generating the history in ClickHouse (scale ${opts.scale})`);
    const data = await phase('generate', () => reportData(opts.scale, { measureReportsMemory: on('memory') }));
    ({ generatePeakRssMiB, reportsPeakRssMiB } = data);
    console.log(`  ${data.factRows.toLocaleString('en-US')} fact rows in ${(data.generateMs / 1000).toFixed(1)} s (in a child process, peak RSS ${fmtNum(generatePeakRssMiB)} MiB)\n`);
    try {
      if (on('attribution')) await run('attribution', () => attributionScenario(data, opts.runs, opts.pgRuns));
      if (on('funnel')) await run('funnel', () => funnelScenario(data, opts.runs));
      if (on('growth')) await run('growth', () => growthScenario(data, opts.runs));
      if (on('dashboard')) await run('dashboard', () => dashboardScenario(data, opts.runs));
    } finally {
      await data.close();
    }
  }

  const peak = rss.peak();
  rss.stop();
  if (on('memory')) {
    const value = productPeakMiB(peakMiBByPhase, reportsPeakRssMiB) ?? peak / 2 ** 20;
    results.memory = { value, unit: 'MiB (peak RSS)', reference: null, ratio: null, target: TARGETS.memory, pass: value <= 2048, peakMiBByPhase, reportsPeakRssMiB, benchProcessPeakMiB: peak / 2 ** 20, generatePeakRssMiB };
  }

  console.log(table(
    ['scenario', 'value', 'unit', 'reference', 'ratio', 'pass', 'target'],
    SCENARIOS.map((s) => {
      const r = results[s];
      return [s, fmtNum(r.value), r.unit, fmtNum(r.reference), fmtNum(r.ratio), r.pass === null ? 'not run' : r.pass ? 'PASS' : 'FAIL', r.target];
    }),
  ));

  const out = resolve(opts.out);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, JSON.stringify({ machine, commit: gitCommit(), options: opts, data: size, scenarios: results }, rounded, 2) + '\n');
  console.log(`\nresults: ${out}`);
  // A reference that disagrees with the product is a broken benchmark (or a wrong report): fail.
  const disagreements = Object.values(results).filter((r) => r.sameAsReference === false || r.sameAsPostgres === false);
  return disagreements.length === 0;
}


/**
 * The embedded product's peak: the phases of this process that run the product with no more
 * than a raw INSERT beside it, and the report child (report-memory.main.ts). The report
 * scenarios in this process also hold the hand-written reference queries and the PostgreSQL
 * copy, so their peaks (and the whole process's) are the bench's, reported beside.
 */
function productPeakMiB(byPhase: Readonly<Record<string, number>>, reports: number | null): number | null {
  const own = ['ingest_embedded', 'lag', 'replay', 'import', 'dashboard_olist'].flatMap((p) => (byPhase[p] === undefined ? [] : [byPhase[p]]));
  const all = reports === null ? own : [...own, reports];
  return all.length === 0 ? null : Math.max(...all);
}

function notRun(name: ScenarioName): ScenarioResult {
  return { value: null, unit: '', reference: null, ratio: null, target: TARGETS[name], pass: null };
}

/** JSON numbers to 3 decimals. */
const rounded = (_key: string, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 1000) / 1000 : v);

main().then(
  (ok) => process.exit(ok ? 0 : 1),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
