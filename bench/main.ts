import 'reflect-metadata';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fmtInt, fmtMs, fmtRatio, machineFacts, parseOptions, perSecond, table, timed } from './common';
import { importBench } from './import';
import { ingestBench, INGEST_BATCH } from './ingest';
import { queryBench, SCAN_UNIT_SQL } from './queries';
import { generateStream, periodOf } from './stream';

/**
 * `npm run bench [-- --events N --ingest N --import-rows N --slice N --runs N --only ingest,import,queries --out FILE]`
 * Absolute times, and ratios to reference work done in the same run on the same machine.
 */
async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const machine = machineFacts();
  console.log(`Funnel Ledger bench — ${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, node ${machine.node}, ${machine.platform}`);
  console.log(`events ${fmtInt(opts.events)}, ingest ${fmtInt(opts.ingest)}, import ${fmtInt(opts.importRows)} rows, TS reference slice ${fmtInt(opts.slice)}, median of ${opts.runs} runs after 1 warm-up; scenarios ${opts.only.join(', ')}\n`);
  const runs = (scenario: (typeof opts.only)[number]) => opts.only.includes(scenario);

  // The import scenario writes its own CSV; the generated stream is for the other two.
  const generated = runs('ingest') || runs('queries') ? await timed(() => generateStream(opts.events)) : undefined;
  const { events, leads } = generated?.result ?? { events: [], leads: 0 };
  const period = events.length > 0 ? periodOf(events) : undefined;
  if (generated && period) console.log(`generated ${fmtInt(events.length)} events (${fmtInt(leads)} leads) in ${fmtMs(generated.ms)} ms; period [${period.from}, ${period.to})\n`);

  const ingest = runs('ingest') ? await ingestScenario() : undefined;
  const imported = runs('import') ? await importScenario() : undefined;
  const q = runs('queries') ? await queryScenario() : undefined;

  async function ingestScenario() {
    console.log(`Ingest: ${fmtInt(opts.ingest)} events as NDJSON batches of ${fmtInt(INGEST_BATCH)} to the embedded server`);
    const ingest = await ingestBench(events.slice(0, opts.ingest));
    // Each measured step with its throughput and its ratios to the two references.
    const ingestSteps = [
      { step: 'POST /v1/events (durable in log)', ms: ingest.ingestMs },
      ...Object.entries(ingest.caughtUpMs).map(([name, ms]) => ({ step: `projection ${name}: lag 0`, ms })),
      { step: 'ref: raw INSERT, same rows, same PGlite', ms: ingest.rawInsertMs },
      { step: 'ref: JSON stringify + parse', ms: ingest.jsonRoundTripMs },
    ].map((s) => ({ ...s, eventsPerSecond: perSecond(ingest.events, s.ms), xRawInsert: s.ms / ingest.rawInsertMs, xJson: s.ms / ingest.jsonRoundTripMs }));
    console.log(`\n${table(
      ['ingest (from first POST)', 'ms', 'events/s', 'x raw INSERT', 'x JSON'],
      ingestSteps.map((s) => [s.step, fmtMs(s.ms), fmtInt(s.eventsPerSecond), fmtRatio(s.xRawInsert), fmtRatio(s.xJson)]),
    )}\n`);
    return { ...ingest, steps: ingestSteps };
  }

  async function importScenario() {
    console.log(`Import: a synthetic CSV of ${fmtInt(opts.importRows)} rows (2 events a row) through runImport (npm run import) to the embedded server`);
    const result = await importBench(opts.importRows);
    // Per event, how much longer an import takes than posting ready-made events (the ingest reference).
    const ingestEventsPerSecond = ingest && perSecond(ingest.events, ingest.ingestMs);
    const xIngest = ingestEventsPerSecond ? ingestEventsPerSecond / result.eventsPerSecond : undefined;
    console.log(`\n${table(
      ['import (runImport, from the first row read)', 'ms', 'rows/s', 'events/s', 'x POST /v1/events'],
      [['CSV -> mapping -> POST /v1/events (durable in log)', fmtMs(result.importMs), fmtInt(result.rowsPerSecond), fmtInt(result.eventsPerSecond), xIngest === undefined ? '(no ingest run)' : fmtRatio(xIngest)]],
    )}\n`);
    return { ...result, ...(xIngest !== undefined && { xIngest }) };
  }

  async function queryScenario() {
    console.log(`Queries: ${fmtInt(events.length)} events into a fresh embedded ClickHouse through insertFacts (the projection's write path)`);
    const q = await queryBench(events, period!, opts.runs, opts.slice);
    console.log(`\nloaded ${fmtInt(q.events)} events (${fmtInt(q.factRows)} fact rows) in ${fmtMs(q.loadMs)} ms = ${fmtInt(perSecond(q.events, q.loadMs))} events/s`);
    console.log(`scan unit (count() + uniqExact(event_id) over all ${fmtInt(q.factRows)} fact rows): ${fmtMs(q.scanUnitMs)} ms\n`);
    console.log(table(
      ['report (full stream)', 'median ms', 'x scan unit', 'rows'],
      [['scan unit', fmtMs(q.scanUnitMs), '1.00', '1'], ...q.queries.map((r) => [r.name, fmtMs(r.ms), fmtRatio(r.scanUnits), fmtInt(r.rows)])],
    ));
    if (q.slice) {
      console.log(`\nTypeScript reference (libs/domain) vs SQL on the first ${fmtInt(q.slice.events)} events`);
      console.log(table(
        ['report (slice)', 'TS ms', 'SQL ms', 'SQL speed-up', 'same answer'],
        q.slice.reports.map((r) => [r.name, fmtMs(r.typescriptMs), fmtMs(r.sqlMs), fmtRatio(r.speedUp), r.same ? 'yes' : 'NO']),
      ));
    }
    return { ...q, scanUnitSql: SCAN_UNIT_SQL };
  }

  const out = resolve(opts.out);
  await mkdir(dirname(out), { recursive: true });
  const results = {
    machine,
    options: opts,
    generate: generated && { events: events.length, leads, ms: generated.ms, period },
    ingest,
    import: imported,
    queries: q,
  };
  await writeFile(out, JSON.stringify(results, rounded, 2) + '\n');
  console.log(`\nresults: ${out}`);
}

/** JSON numbers to 3 decimals. */
const rounded = (_key: string, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 1000) / 1000 : v);

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
