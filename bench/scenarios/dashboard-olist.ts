import { repoRoot } from '@funnel/clickhouse';
import { loadConfig } from '@funnel/config';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { runImport } from '../../apps/cli/src/import/run-import';
import { startStandalone } from '../../apps/standalone/src/standalone.app';
import { now, perSecond, type ScenarioResult } from '../common';
import { dashboardLoads, dashboardVariables } from './dashboard';
import { visibleEverywhere } from './embedded-server';

/** The real Olist funnel beside the repository (never copied into it: its licence does not fit). */
const OLIST_DIR = join(repoRoot(), '../shared/data/olist-marketing-funnel');
/** Without the shared folder the scenario is reported as not run (a clone on its own has no data). */
export const OLIST_AVAILABLE = existsSync(OLIST_DIR);
const FILES = [
  ['olist-mqls.mapping.json', 'olist_marketing_qualified_leads_dataset.csv'],
  ['olist-deals.mapping.json', 'olist_closed_deals_dataset.csv'],
] as const;

/**
 * Issue 9's "loads in under a second on the Olist data": both shipped Olist mappings imported
 * into a fresh embedded server (as `npm run import` does), then dashboard loads of the period the
 * README's shared link shows (2017-06-01 to 2018-07-01). The import's rate is reported beside.
 */
export async function dashboardOlistScenario(runs: number): Promise<ScenarioResult> {
  if (!OLIST_AVAILABLE) throw new Error(`the Olist data is not at ${OLIST_DIR} (../shared/data beside the repository)`);
  const dir = await mkdtemp(join(tmpdir(), 'funnel-bench-olist-'));
  const app = await startStandalone(loadConfig({ PORT: '0', LOG_LEVEL: 'warn', DATA_DIR: dir, SLA_CHECK_SECONDS: '0' }));
  try {
    const quiet = new Writable({ write: (_chunk, _enc, done) => done() });
    const t0 = now();
    let rows = 0;
    let accepted = 0;
    for (const [mapping, file] of FILES) {
      const summary = await runImport({ mapping: join(repoRoot(), 'examples/olist', mapping), files: [join(OLIST_DIR, file)], url: app.url, out: quiet, progressStream: process.stderr });
      rows += summary.rows;
      accepted += summary.accepted;
    }
    await visibleEverywhere(app.url, accepted, 50);
    const importMs = now() - t0;
    const loads = await dashboardLoads(app.url, dashboardVariables('2017-06-01T00:00:00.000Z', '2018-07-01T00:00:00.000Z'), runs, 'dashboard_olist');
    return { ...loads, rows, importedRowsPerSecondUntilVisible: perSecond(rows, importMs) };
  } finally {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  }
}
