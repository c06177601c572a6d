import { loadConfig } from '@funnel/config';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { runImport } from '../../apps/cli/src/import/run-import';
import { startStandalone } from '../../apps/standalone/src/standalone.app';
import { now, perSecond, type ScenarioResult, TARGETS } from '../common';

/** Two events a row (a lead captured, then its MQL), as a CRM export of leads maps to. */
const MAPPING = {
  name: 'bench-leads',
  key: ['lead_id'],
  timeZone: 'UTC',
  source: 'bench',
  events: [
    {
      role: 'captured',
      type: 'LeadCaptured',
      occurredAt: { column: 'created', format: 'YYYY-MM-DD' },
      fields: { leadId: { column: 'lead_id' }, channel: { column: 'origin', transform: ['trim'] }, campaignId: { column: 'campaign' } },
    },
    {
      role: 'mql',
      type: 'LeadStageChanged',
      occurredAt: { column: 'created', format: 'YYYY-MM-DD' },
      fields: { leadId: { column: 'lead_id' }, stage: { const: 'MQL' } },
    },
  ],
};
const ORIGINS = ['organic_search', 'paid_search', 'social', 'email', 'referral', 'direct_traffic'];

async function writeCsv(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write('lead_id,created,origin,campaign\n');
  for (let i = 0; i < rows; i++) {
    const day = new Date(Date.UTC(2025, 0, 1) + (i % 365) * 86_400_000).toISOString().slice(0, 10);
    const line = `L-${i.toString(36).padStart(6, '0')},${day},${ORIGINS[i % ORIGINS.length]},C-${i % 97}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await finished(out);
}

/**
 * Writes a synthetic CSV of `rows` leads, starts the embedded product on a temp DATA_DIR and
 * imports the file through runImport (what `npm run import` does) into its POST /v1/events,
 * from the first row read until every event is durable in the log. Target (issue 9): >= 20,000 rows/s.
 */
export async function importScenario(rows: number): Promise<ScenarioResult> {
  const dir = await mkdtemp(join(tmpdir(), 'funnel-bench-import-'));
  const csv = join(dir, 'leads.csv');
  const mapping = join(dir, 'leads.mapping.json');
  await writeCsv(csv, rows);
  await writeFile(mapping, JSON.stringify(MAPPING));
  const app = await startStandalone(loadConfig({ PORT: '0', LOG_LEVEL: 'warn', DATA_DIR: join(dir, 'data') }));
  try {
    const quiet = new Writable({ write: (_chunk, _enc, done) => done() });
    const t0 = now();
    const summary = await runImport({ mapping, files: [csv], url: app.url, out: quiet, progressStream: process.stderr });
    const importMs = now() - t0;
    const events = rows * MAPPING.events.length;
    if (summary.rows !== rows || summary.accepted !== events) throw new Error(`imported ${summary.rows} rows, ${summary.accepted} of ${events} events accepted`);
    const value = perSecond(rows, importMs);
    return {
      value,
      unit: 'rows/s',
      reference: null,
      ratio: null,
      target: TARGETS.import,
      pass: value >= 20_000,
      rows,
      eventsPerSecond: perSecond(events, importMs),
    };
  } finally {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  }
}
