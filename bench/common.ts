import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';

/** The scenarios of issue 10's targets table, plus import and the dashboard (generated history, Olist); results.json keys. */
export const SCENARIOS = ['ingest_embedded', 'ingest_kafka', 'lag', 'replay', 'import', 'attribution', 'funnel', 'growth', 'dashboard', 'dashboard_olist', 'memory'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/** What each scenario must reach (issue 10's targets table; import from issue 9; dashboard < 1 s). */
export const TARGETS: Record<ScenarioName, string> = {
  ingest_embedded: '>= 15,000 events/s and >= 0.5x raw INSERT into the log table',
  ingest_kafka: '>= 20,000 events/s (three processes on Kafka)',
  lag: 'p99 <= 1000 ms at half the sustained ingest rate',
  replay: '>= 50,000 events/s rebuilding both read models',
  import: '>= 20,000 rows/s (2 events a row) into the embedded server',
  attribution: 'p50 <= 1500 ms; <= 1.3x the hand-written ClickHouse query; >= 10x faster than PostgreSQL; same answers',
  funnel: 'p50 <= 500 ms; <= 1.3x the hand-written ClickHouse query; same answer',
  growth: 'last 30 days <= 0.2x the whole history, for attribution and funnel',
  dashboard: '< 1000 ms for every GraphQL query of one load',
  dashboard_olist: '< 1000 ms p50 per dashboard load on the Olist data (issue 9)',
  memory: '<= 2048 MiB for the embedded product through the run',
};

/** One line of results.json: the figure, its reference measured in the same run, and the verdict. */
export interface ScenarioResult {
  readonly value: number | null;
  readonly unit: string;
  readonly reference: number | null;
  /** value / reference (null without a reference). */
  readonly ratio: number | null;
  readonly target: string;
  /** null when the scenario did not run. */
  readonly pass: boolean | null;
  readonly [extra: string]: unknown;
}

export interface BenchOptions {
  readonly quick: boolean;
  /** 1 = issue 10's data: 10M touches, 1M leads, 100k opportunities. */
  readonly scale: number;
  readonly mode: 'embedded' | 'kafka';
  readonly only: readonly ScenarioName[];
  /** Timed runs per query after one warm-up (p50/p95 over them). */
  readonly runs: number;
  /** Events posted by the ingest scenario (and replayed by replay). */
  readonly ingest: number;
  readonly importRows: number;
  readonly lagSeconds: number;
  /** Timed PostgreSQL runs (slow at scale). */
  readonly pgRuns: number;
  readonly out: string;
}

const USAGE = 'npm run bench [-- --quick] [--scale N] [--mode embedded|kafka] [--only a,b] [--runs N] [--ingest N] [--import-rows N] [--lag-seconds N] [--out FILE]';

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      scale: { type: 'string' },
      mode: { type: 'string', default: 'embedded' },
      only: { type: 'string' },
      runs: { type: 'string' },
      ingest: { type: 'string' },
      'import-rows': { type: 'string' },
      'lag-seconds': { type: 'string' },
      out: { type: 'string', default: 'bench/results.json' },
    },
  });
  const num = (name: string, text: string | undefined, fallback: number, min: number) => {
    if (text === undefined) return fallback;
    const n = Number(text.replace(/_/g, ''));
    if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number >= ${min}, got "${text}"\n${USAGE}`);
    return n;
  };
  const quick = values.quick;
  const mode = values.mode;
  if (mode !== 'embedded' && mode !== 'kafka') throw new Error(`--mode takes embedded or kafka, got "${mode}"\n${USAGE}`);
  // Each mode runs its own ingest scenario; lag and replay are measured on the embedded server.
  const byMode = SCENARIOS.filter((s) => (mode === 'kafka' ? !['ingest_embedded', 'lag', 'replay'].includes(s) : s !== 'ingest_kafka'));
  const only = values.only === undefined ? byMode : values.only.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const unknown = only.filter((s) => !(SCENARIOS as readonly string[]).includes(s));
  if (unknown.length > 0 || only.length === 0) throw new Error(`--only takes a list of ${SCENARIOS.join(', ')}, got "${values.only}"`);
  const scale = num('scale', values.scale, quick ? 0.02 : 1, 0.0001);
  return {
    quick,
    scale,
    mode,
    only: only as ScenarioName[],
    runs: Math.round(num('runs', values.runs, quick ? 3 : 5, 1)),
    ingest: Math.round(num('ingest', values.ingest, quick ? 30_000 : 200_000, 1000)),
    importRows: Math.round(num('import-rows', values['import-rows'], quick ? 20_000 : 100_000, 1)),
    lagSeconds: num('lag-seconds', values['lag-seconds'], quick ? 5 : 20, 1),
    pgRuns: quick || scale < 0.5 ? 3 : 1,
    out: values.out,
  };
}

export function machineFacts() {
  const cpu = cpus();
  return {
    cores: cpu.length,
    memory: totalmem(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    cpu: cpu[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    date: new Date().toISOString(),
  };
}

export function gitCommit(): string {
  try {
    const sha = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { encoding: 'utf8' }).trim() !== '';
    return dirty ? `${sha}+dirty` : sha;
  } catch {
    return 'unknown';
  }
}

export const now = () => performance.now();

export async function timed<T>(work: () => Promise<T> | T): Promise<{ ms: number; result: Awaited<T> }> {
  const t0 = now();
  const result = await work();
  return { ms: now() - t0, result };
}

/** PERCENTILE.INC over `xs`. */
export function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  return s[lo] + (h - lo) * ((s[lo + 1] ?? s[lo]) - s[lo]);
}

/** One warm-up, then `runs` timed runs: p50, p95, every run and the last result. */
export async function sample<T>(runs: number, work: () => Promise<T>): Promise<{ p50: number; p95: number; runsMs: number[]; result: T }> {
  let result = await work();
  const runsMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = await timed(work);
    runsMs.push(t.ms);
    result = t.result;
  }
  return { p50: percentile(runsMs, 0.5), p95: percentile(runsMs, 0.95), runsMs, result };
}

export function chunks<T>(xs: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

export const perSecond = (n: number, ms: number) => (n * 1000) / ms;
export const ratioOf = (value: number | null, reference: number | null) =>
  value === null || reference === null || reference === 0 ? null : value / reference;

/** Peak RSS of this process: sampled every 200 ms, and the kernel's high-water mark where there is one. */
export function rssSampler() {
  let peak = process.memoryUsage().rss;
  let windowPeak = peak;
  const timer = setInterval(() => {
    const now = process.memoryUsage().rss;
    peak = Math.max(peak, now);
    windowPeak = Math.max(windowPeak, now);
  }, 200);
  timer.unref();
  return {
    /** The sampled peak since the previous call (or the start); the next window starts now. */
    window(): number {
      const now = process.memoryUsage().rss;
      const w = Math.max(windowPeak, now);
      windowPeak = now;
      return w;
    },
    peak(): number {
      peak = Math.max(peak, process.memoryUsage().rss);
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
        if (m) peak = Math.max(peak, Number(m[1]) * 1024);
      } catch {
        // Not Linux: the samples are all there is.
      }
      return peak;
    },
    stop: () => clearInterval(timer),
  };
}

const fmt = (n: number) => (Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en-US') : Math.abs(n) >= 1 ? n.toFixed(2) : n.toPrecision(2));
export const fmtNum = (n: number | null | undefined) => (n === null || n === undefined ? '—' : fmt(n));

/** Left-aligned first column, right-aligned others. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** A progress line that rewrites itself on a terminal and prints every ~10% otherwise. */
export function progress(label: string, total: number): (done: number) => void {
  let lastDecile = -1;
  const start = now();
  return (done) => {
    const line = `  ${label}: ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} (${Math.round(perSecond(done, now() - start)).toLocaleString('en-US')}/s)`;
    if (process.stdout.isTTY) {
      process.stdout.write(`\r${line}${done >= total ? '\n' : ''}`);
    } else {
      const decile = Math.floor((10 * done) / total);
      if (decile !== lastDecile) console.log(line);
      lastDecile = decile;
    }
  };
}
