import { loadConfig } from '@funnel/config';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startStandalone, type StandaloneApp } from '../../apps/standalone/src/standalone.app';
import { timed } from '../common';
import { sizeAt, type GeneratedSize } from '../generate';

export interface ReportData {
  /** The embedded product whose ClickHouse holds the generated history (GraphQL at app.url). */
  readonly app: StandaloneApp;
  readonly size: GeneratedSize;
  readonly factRows: number;
  readonly generateMs: number;
  /** Peak RSS of the generating child process (the bench's set-up, not the product's memory). */
  readonly generatePeakRssMiB: number | null;
  /** Peak RSS of the embedded server running the reports alone (report-memory.main.ts), when asked for. */
  readonly reportsPeakRssMiB: number | null;
  close(): Promise<void>;
}

/** Runs a bench main of dist/bench in a child process; its last stdout line is its JSON answer. */
async function child<T>(main: string, args: readonly string[]): Promise<T> {
  const { stdout } = await promisify(execFile)(process.execPath, [join(__dirname, '..', main), ...args], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop() as string) as T;
}

/**
 * The data of the report scenarios (attribution, funnel, growth, dashboard): a fresh data
 * directory whose fact tables are migrated and filled inside ClickHouse by a child process, then
 * the embedded server on it.
 */
export async function reportData(scale: number, opts: { measureReportsMemory?: boolean } = {}): Promise<ReportData> {
  const dir = await mkdtemp(join(tmpdir(), 'funnel-bench-reports-'));
  try {
    // In a child process, so this process's RSS is the product's (see generate.main.ts); the
    // server then opens the filled data directory and finds its migrations applied.
    const { ms, result: generated } = await timed(() => child<{ factRows: number; peakRssMiB: number | null }>('generate.main.js', [dir, String(scale)]));
    // Before this process opens the directory: chdb serves one data directory to one process.
    const reports = opts.measureReportsMemory ? await child<{ peakRssMiB: number | null }>('report-memory.main.js', [dir]) : undefined;
    // No SLA checker: the generated MQLs have no follow-up activity, so it would append and project
    // a breach event for most of them (800k at scale 1) while the reports are timed.
    const app = await startStandalone(loadConfig({ PORT: '0', LOG_LEVEL: 'warn', DATA_DIR: dir, SLA_CHECK_SECONDS: '0' }));
    return {
      app,
      size: sizeAt(scale),
      factRows: generated.factRows,
      generateMs: ms,
      generatePeakRssMiB: generated.peakRssMiB,
      reportsPeakRssMiB: reports?.peakRssMiB ?? null,
      async close() {
        await app.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}
