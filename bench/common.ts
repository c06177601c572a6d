import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';

/** Command-line options of `npm run bench -- --events N --ingest N --import-rows N --slice N --runs N --only a,b`. */
export interface BenchOptions {
  /** Events in the generated stream the query benchmark runs on. */
  readonly events: number;
  /** Events (the first of the stream) posted to the embedded server. */
  readonly ingest: number;
  /** Rows of the synthetic CSV imported through runImport (two events a row). */
  readonly importRows: number;
  /** The scenarios to run (default all). */
  readonly only: readonly BenchScenario[];
  /** Events (the first of the stream) on which the pure TypeScript reference is timed; 0 = skip. */
  readonly slice: number;
  /** Timed runs per query after one warm-up; the median is reported. */
  readonly runs: number;
  readonly out: string;
}

export const BENCH_SCENARIOS = ['ingest', 'import', 'queries'] as const;
export type BenchScenario = (typeof BENCH_SCENARIOS)[number];

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      events: { type: 'string', default: '1000000' },
      ingest: { type: 'string', default: '100000' },
      'import-rows': { type: 'string', default: '100000' },
      only: { type: 'string', default: BENCH_SCENARIOS.join(',') },
      slice: { type: 'string', default: '250000' },
      runs: { type: 'string', default: '3' },
      out: { type: 'string', default: 'bench/results/latest.json' },
    },
  });
  const int = (name: string, text: string, min: number) => {
    const n = Number(text.replace(/_/g, ''));
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min}, got "${text}"`);
    return n;
  };
  const events = int('events', values.events, 1);
  const only = values.only.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const unknown = only.filter((s) => !(BENCH_SCENARIOS as readonly string[]).includes(s));
  if (unknown.length > 0 || only.length === 0) throw new Error(`--only takes a list of ${BENCH_SCENARIOS.join(', ')}, got "${values.only}"`);
  return {
    events,
    ingest: Math.min(int('ingest', values.ingest, 1), events),
    importRows: int('import-rows', values['import-rows'], 1),
    only: only as BenchScenario[],
    slice: Math.min(int('slice', values.slice, 0), events),
    runs: int('runs', values.runs, 1),
    out: values.out,
  };
}

export function machineFacts() {
  const cpu = cpus();
  return {
    cores: cpu.length,
    cpu: cpu[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    date: new Date().toISOString(),
  };
}

export const now = () => performance.now();

export async function timed<T>(work: () => Promise<T> | T): Promise<{ ms: number; result: Awaited<T> }> {
  const t0 = now();
  const result = await work();
  return { ms: now() - t0, result };
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** One warm-up, then `runs` timed runs: the median and the last result. */
export async function medianOf<T>(runs: number, work: () => Promise<T> | T): Promise<{ ms: number; runsMs: number[]; result: Awaited<T> }> {
  let result = await work();
  const runsMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = await timed(work);
    runsMs.push(t.ms);
    result = t.result;
  }
  return { ms: median(runsMs), runsMs, result };
}

export function chunks<T>(xs: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

/** A progress line that rewrites itself on a terminal and prints every ~10% otherwise. */
export function progress(label: string, total: number): (done: number) => void {
  let lastDecile = -1;
  const start = now();
  return (done) => {
    const rate = Math.round(done / ((now() - start) / 1000));
    const line = `  ${label}: ${fmtInt(done)} / ${fmtInt(total)} (${Math.floor((100 * done) / total)}%, ${fmtInt(rate)}/s)`;
    if (process.stdout.isTTY) {
      process.stdout.write(`\r${line}${done >= total ? '\n' : ''}`);
    } else {
      const decile = Math.floor((10 * done) / total);
      if (decile !== lastDecile) console.log(line);
      lastDecile = decile;
    }
  };
}

export const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
export const fmtMs = (ms: number) => (ms >= 100 ? fmtInt(ms) : ms.toFixed(1));
export const fmtRatio = (r: number) => (r >= 10 ? r.toFixed(1) : r.toFixed(2));
export const perSecond = (n: number, ms: number) => (n * 1000) / ms;

/** Left-aligned first column, right-aligned others. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
