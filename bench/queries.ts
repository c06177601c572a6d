import { EmbeddedClickHouse, type ClickHouse } from '@funnel/clickhouse';
import type { FunnelEvent } from '@funnel/contracts';
import { attributionReport, cohortReport, funnelReport } from '@funnel/reporting';
import { FACT_TABLES, insertFacts, migrateFacts } from '@funnel/facts';
import {
  runAttribution,
  runCampaignPerformance,
  runCohorts,
  runFunnel,
  runLeadQuality,
  runPipelineVelocity,
  runReconciliation,
  runScoreCalibration,
  runSla,
  runStalled,
  runVelocity,
} from '@funnel/reporting';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chunks, medianOf, progress, timed } from './common';

const LOAD_BATCH = 50_000;

/** Reference work: read every fact row once and deduplicate event ids, as every report must. */
export const SCAN_UNIT_SQL = `SELECT sum(n) AS rows, sum(ids) AS ids FROM (
  ${FACT_TABLES.map((t) => `SELECT count() AS n, uniqExact(event_id) AS ids FROM ${t}`).join('\n  UNION ALL ')}
)`;

export interface Period {
  readonly from: string;
  readonly to: string;
}

interface Report {
  readonly name: string;
  run(ch: ClickHouse): Promise<unknown>;
}

/** Every report runner of libs/reporting over the whole stream, with the product's defaults. */
function reports(p: Period): Report[] {
  const asOf = p.to;
  const attribution = { ...p, lookbackDays: 365, halfLifeDays: 7 };
  return [
    { name: 'funnel', run: (ch) => runFunnel(ch, { ...p, anchor: 'CAPTURED' }) },
    { name: 'funnel by CHANNEL, window 30d', run: (ch) => runFunnel(ch, { ...p, anchor: 'MQL', windowDays: 30, breakdown: 'CHANNEL' }) },
    { name: 'cohorts WEEK MQL->WON 90d', run: (ch) => runCohorts(ch, { ...p, asOf, grain: 'WEEK', anchor: 'MQL', target: 'WON', windowDays: 90 }) },
    { name: 'velocity MQL->SQL by SEGMENT', run: (ch) => runVelocity(ch, { ...p, fromStage: 'MQL', toStage: 'SQL', breakdown: 'SEGMENT' }) },
    { name: 'attribution FIRST_TOUCH LEAD_CREATED', run: (ch) => runAttribution(ch, { ...attribution, model: 'FIRST_TOUCH', milestone: 'LEAD_CREATED', by: 'CHANNEL' }) },
    { name: 'attribution LINEAR OPP_CREATED', run: (ch) => runAttribution(ch, { ...attribution, model: 'LINEAR', milestone: 'OPPORTUNITY_CREATED', by: 'CAMPAIGN' }) },
    { name: 'attribution W_SHAPED WON', run: (ch) => runAttribution(ch, { ...attribution, model: 'W_SHAPED', milestone: 'WON', by: 'CAMPAIGN' }) },
    { name: 'attribution TIME_DECAY WON', run: (ch) => runAttribution(ch, { ...attribution, model: 'TIME_DECAY', milestone: 'WON', by: 'CHANNEL' }) },
    { name: 'sla by OWNER', run: (ch) => runSla(ch, { ...p, asOf, speedToLeadMinutes: 1440, breakdown: 'OWNER' }) },
    { name: 'reconciliation by CHANNEL', run: (ch) => runReconciliation(ch, { ...p, breakdown: 'CHANNEL', withLeadIds: false }) },
    { name: 'stalled (first 50)', run: (ch) => runStalled(ch, { asOf, stallDays: { default: 21, byStage: { proposal: 5 } }, limit: 50 }) },
    { name: 'pipeline velocity 365d', run: (ch) => runPipelineVelocity(ch, { asOf, trailingDays: 365 }) },
    { name: 'campaign performance LINEAR', run: (ch) => runCampaignPerformance(ch, { ...attribution, model: 'LINEAR' }) },
    { name: 'lead quality by REGION', run: (ch) => runLeadQuality(ch, { ...p, speedToLeadMinutes: 1440, breakdown: 'REGION' }) },
    { name: 'score calibration', run: (ch) => runScoreCalibration(ch, p) },
  ];
}

/** Rows in a report's answer, as a sanity figure next to its time. */
function rowsOf(result: unknown): number {
  if (Array.isArray(result)) return result.length;
  const r = result as { rows?: unknown[]; items?: unknown[] };
  return r.rows?.length ?? r.items?.length ?? 1;
}

export interface QueryTiming {
  readonly name: string;
  readonly ms: number;
  readonly runsMs: number[];
  readonly rows: number;
  /** ms / scan unit ms. */
  readonly scanUnits: number;
}

export interface ReferenceTiming {
  readonly name: string;
  readonly typescriptMs: number;
  readonly sqlMs: number;
  /** typescriptMs / sqlMs. */
  readonly speedUp: number;
  /** The SQL runner returned the reference's answer. */
  readonly same: boolean;
}

export interface QueryResult {
  readonly events: number;
  readonly factRows: number;
  readonly loadMs: number;
  readonly scanUnitMs: number;
  readonly queries: QueryTiming[];
  readonly slice?: { readonly events: number; readonly loadMs: number; readonly reports: ReferenceTiming[] };
}

/** A fresh embedded ClickHouse (database `db`) with the facts of `events`, written as the projection writes them. */
async function load(dir: string, database: string, events: readonly FunnelEvent[], label: string) {
  const ch = await EmbeddedClickHouse.open(join(dir, 'clickhouse'), { database });
  await migrateFacts(ch);
  const tick = progress(label, events.length);
  let done = 0;
  const { ms } = await timed(async () => {
    for (const batch of chunks(events, LOAD_BATCH)) {
      await insertFacts(ch, batch);
      done += batch.length;
      tick(done);
    }
  });
  return { ch, loadMs: ms };
}

export async function queryBench(events: readonly FunnelEvent[], period: Period, runs: number, sliceSize: number): Promise<QueryResult> {
  const dir = await mkdtemp(join(tmpdir(), 'funnel-bench-query-'));
  const opened: ClickHouse[] = [];
  try {
    const { ch, loadMs } = await load(dir, 'funnel', events, 'loading ClickHouse');
    opened.push(ch);

    const scan = await medianOf(runs, () => ch.query<{ rows: string; ids: string }>(SCAN_UNIT_SQL));
    const factRows = Number(scan.result[0].rows);
    const queries: QueryTiming[] = [];
    for (const r of reports(period)) {
      const t = await medianOf(runs, () => r.run(ch));
      queries.push({ name: r.name, ms: t.ms, runsMs: t.runsMs, rows: rowsOf(t.result), scanUnits: t.ms / scan.ms });
      console.log(`  ${r.name}: ${t.ms.toFixed(0)} ms`);
    }

    let slice: QueryResult['slice'];
    if (sliceSize > 0) {
      const sliceEvents = events.slice(0, sliceSize);
      const s = await load(dir, 'funnel_slice', sliceEvents, 'loading slice');
      opened.push(s.ch);
      slice = { events: sliceEvents.length, loadMs: s.loadMs, reports: await referenceBench(s.ch, sliceEvents, period, runs) };
    }
    return { events: events.length, factRows, loadMs, scanUnitMs: scan.ms, queries, slice };
  } finally {
    for (const ch of opened) await ch.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The pure TypeScript reference (libs/domain) against its SQL runner on the same slice. */
async function referenceBench(ch: ClickHouse, events: readonly FunnelEvent[], p: Period, runs: number): Promise<ReferenceTiming[]> {
  const attribution = { ...p, model: 'LINEAR', milestone: 'OPPORTUNITY_CREATED', by: 'CAMPAIGN', lookbackDays: 365, halfLifeDays: 7 } as const;
  const cohorts = { ...p, asOf: p.to, grain: 'WEEK', anchor: 'MQL', target: 'WON', windowDays: 90 } as const;
  const pairs: { name: string; ts: () => unknown; sql: () => Promise<unknown> }[] = [
    { name: 'funnel', ts: () => funnelReport(events, { ...p, anchor: 'CAPTURED' }), sql: () => runFunnel(ch, { ...p, anchor: 'CAPTURED' }) },
    {
      name: 'funnel by CHANNEL, window 30d',
      ts: () => funnelReport(events, { ...p, anchor: 'MQL', windowDays: 30, breakdown: 'CHANNEL' }),
      sql: () => runFunnel(ch, { ...p, anchor: 'MQL', windowDays: 30, breakdown: 'CHANNEL' }),
    },
    { name: 'cohorts WEEK MQL->WON 90d', ts: () => cohortReport(events, cohorts), sql: () => runCohorts(ch, cohorts) },
    { name: 'attribution LINEAR OPP_CREATED', ts: () => attributionReport(events, attribution), sql: () => runAttribution(ch, attribution) },
  ];
  const out: ReferenceTiming[] = [];
  for (const pair of pairs) {
    const ts = await medianOf(runs, pair.ts);
    const sql = await medianOf(runs, pair.sql);
    out.push({ name: pair.name, typescriptMs: ts.ms, sqlMs: sql.ms, speedUp: ts.ms / sql.ms, same: close(sql.result, ts.result) });
  }
  return out;
}

/** Deep equality with numbers equal to ~1e-9 relative (float sums differ in the last bits). */
function close(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => close(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => close((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return a === b;
}
