import { repoRoot } from '@funnel/clickhouse';
import { loadConfig } from '@funnel/config';
import { OLIST, OLIST_DEALS_CSV, OLIST_MQLS_CSV, readOlist, testClient } from '@funnel/testing';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runImport } from '../apps/cli/src/import/run-import';
import { startStandalone, type StandaloneApp } from '../apps/standalone/src/standalone.app';

/**
 * The real Olist marketing funnel imported as a user would: `npm run import`'s code path with
 * the shipped mappings into a fresh embedded server. Expected figures come straight from the CSV.
 */
const MQLS = OLIST_MQLS_CSV;
const DEALS = OLIST_DEALS_CSV;
const EXAMPLES = join(repoRoot(), 'examples/olist');


describe('importing the Olist CSVs with the shipped mappings', () => {
  let app: StandaloneApp;
  const dataDir = mkdtempSync(join(tmpdir(), 'funnel-olist-import-'));
  const client = testClient(() => app.url);
  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const importBoth = async () => {
    const summaries = [];
    for (const [mapping, file] of [
      ['olist-mqls.mapping.json', MQLS],
      ['olist-deals.mapping.json', DEALS],
    ]) {
      summaries.push(await runImport({ url: app.url, mapping: join(EXAMPLES, mapping), files: [file], out: new PassThrough(), progressStream: new PassThrough() as never }));
    }
    return summaries;
  };

  OLIST.it('reproduces MQLs and wins per origin and the monthly cohorts, and a second import adds nothing', async () => {
    const { mqls, deals } = readOlist();
    expect([mqls.length, deals.length]).toEqual([8000, 842]);

    app = await startStandalone(loadConfig({ SLA_CHECK_SECONDS: '0', PORT: '0', DATA_DIR: dataDir }));
    const started = Date.now();
    const [mqlSummary, dealSummary] = await importBoth();
    const seconds = (Date.now() - started) / 1000;
    console.log(`olist import: ${mqls.length + deals.length} rows in ${seconds.toFixed(1)} s = ${Math.round((mqls.length + deals.length) / seconds)} rows/s`);
    expect(mqlSummary).toMatchObject({ rows: 8000, rejectedRows: 0, accepted: 16000, duplicates: 0, rejected: 0 });
    expect(mqlSummary.byType).toEqual({
      LeadCaptured: { events: 8000, accepted: 8000, duplicates: 0, rejected: 0 },
      LeadStageChanged: { events: 8000, accepted: 8000, duplicates: 0, rejected: 0 },
    });
    expect(dealSummary).toMatchObject({ rows: 842, rejectedRows: 0, accepted: 1684, duplicates: 0, rejected: 0 });
    expect(existsSync(`${MQLS}.rejects.csv`)).toBe(false);
    await client.caughtUp(120_000);

    // Expected, straight from the CSV.
    const origin = new Map(mqls.map((m) => [m.mql_id, m.origin === '' ? '(none)' : m.origin]));
    const won = new Set(deals.map((d) => d.mql_id));
    const byOrigin = new Map<string, { mqls: number; wins: number }>();
    const byMonth = new Map<string, { size: number; converted: number }>();
    for (const m of mqls) {
      const o = byOrigin.get(origin.get(m.mql_id)!) ?? { mqls: 0, wins: 0 };
      byOrigin.set(origin.get(m.mql_id)!, { mqls: o.mqls + 1, wins: o.wins + (won.has(m.mql_id) ? 1 : 0) });
      const month = m.first_contact_date.slice(0, 7);
      const c = byMonth.get(month) ?? { size: 0, converted: 0 };
      byMonth.set(month, { size: c.size + 1, converted: c.converted + (won.has(m.mql_id) ? 1 : 0) });
    }

    const data = await client.data(`{
      funnel(from: "2017-01-01T00:00:00Z", to: "2019-01-01T00:00:00Z", anchor: MQL, breakdown: CHANNEL) { groups { key stages { stage reached } } }
      cohorts(from: "2017-01-01T00:00:00Z", to: "2019-01-01T00:00:00Z", grain: MONTH, anchor: MQL, target: WON) { cohort size converted }
    }`);
    const reported = Object.fromEntries(
      data.funnel.groups.map((g: any) => {
        const reached = Object.fromEntries(g.stages.map((s: any) => [s.stage, s.reached]));
        return [g.key, { mqls: reached.MQL, wins: reached.WON }];
      }),
    );
    expect(reported).toEqual(Object.fromEntries(byOrigin));
    expect(data.cohorts).toEqual([...byMonth].sort(([a], [b]) => a.localeCompare(b)).map(([cohort, c]) => ({ cohort, ...c })));

    const again = await importBoth();
    expect(again.map((s) => [s.accepted, s.duplicates, s.rejected])).toEqual([
      [0, 16000, 0],
      [0, 1684, 0],
    ]);
    const status: any = await (await fetch(`${app.url}/v1/status`)).json();
    expect(status.accepted).toBe(16000 + 1684);
  }, 300_000);
});
