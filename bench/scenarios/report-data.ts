import { loadConfig } from '@funnel/config';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStandalone, type StandaloneApp } from '../../apps/standalone/src/standalone.app';
import { timed } from '../common';
import { generateFacts, sizeAt, type GeneratedSize } from '../generate';

export interface ReportData {
  /** The embedded product whose ClickHouse holds the generated history (GraphQL at app.url). */
  readonly app: StandaloneApp;
  readonly size: GeneratedSize;
  readonly factRows: number;
  readonly generateMs: number;
  close(): Promise<void>;
}

/**
 * The data of the report scenarios (attribution, funnel, growth, dashboard): a fresh embedded
 * server whose fact tables (migrated by the product at start) are filled inside ClickHouse.
 */
export async function reportData(scale: number): Promise<ReportData> {
  const dir = await mkdtemp(join(tmpdir(), 'funnel-bench-reports-'));
  // No SLA checker: the generated MQLs have no follow-up activity, so it would append and project
  // a breach event for most of them (800k at scale 1) while the reports are timed.
  const app = await startStandalone(loadConfig({ PORT: '0', LOG_LEVEL: 'warn', DATA_DIR: dir, SLA_CHECK_SECONDS: '0' }));
  const size = sizeAt(scale);
  try {
    const { ms, result } = await timed(() => generateFacts(app.runtime.clickhouse, size));
    return {
      app,
      size,
      factRows: result,
      generateMs: ms,
      async close() {
        await app.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await app.close();
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}
