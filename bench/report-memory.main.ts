import 'reflect-metadata';
import { loadConfig } from '@funnel/config';
import { runAttribution, runFunnel } from '@funnel/reporting';
import { readFileSync } from 'node:fs';
import { startStandalone } from '../apps/standalone/src/standalone.app';
import { LAST_30_DAYS, WHOLE_HISTORY } from './generate';
import { attributionParams, funnelParams } from './reference';
import { dashboardLoads, GENERATED_VIEW } from './scenarios/dashboard';

/**
 * `node dist/bench/report-memory.main.js <DATA_DIR>`: the embedded server on a generated history
 * runs the report scenarios' product work alone (attribution and funnel over both periods, one
 * dashboard load after a warm-up) and prints its peak RSS as `{"peakRssMiB"}`. In the bench
 * process the same reports share the heap and the allocator with the hand-written reference
 * queries and the PostgreSQL copy, which peak higher than the product (the reference funnel
 * alone about 2.5 GiB at scale 1).
 */
async function main(): Promise<void> {
  const [dataDir] = process.argv.slice(2);
  if (!dataDir) throw new Error('usage: report-memory.main.js <DATA_DIR>');
  const app = await startStandalone(loadConfig({ PORT: '0', LOG_LEVEL: 'warn', DATA_DIR: dataDir, SLA_CHECK_SECONDS: '0' }));
  try {
    for (const period of [WHOLE_HISTORY, LAST_30_DAYS]) {
      await runAttribution(app.runtime.clickhouse, attributionParams(period));
      await runFunnel(app.runtime.clickhouse, funnelParams(period));
    }
    await dashboardLoads(app.url, GENERATED_VIEW, 1, 'dashboard');
  } finally {
    await app.close();
  }
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  process.stdout.write(`${JSON.stringify({ peakRssMiB: hwm ? Number(hwm[1]) / 1024 : null })}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
