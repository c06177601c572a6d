import { loadConfig } from '@funnel/config';
import { ingestAll, OLIST, olistEvents, readOlist } from '@funnel/testing';
import { parse } from 'csv-parse/sync';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStandalone, type StandaloneApp } from '../apps/standalone/src/standalone.app';

/**
 * What an analyst trying the product on the real Olist funnel needs (issue 9): campaign ids from
 * the leads, reports as CSV for a spreadsheet, and honest answers where the export has no
 * activities and no costs. Each MQL row: LeadCaptured (channel = origin, campaign =
 * landing_page_id) and LeadStageChanged MQL at first_contact_date; each deal: OpportunityCreated
 * and OpportunityWon at won_date. Expected figures come straight from the CSV.
 */
const from = '2017-01-01T00:00:00Z';
const to = '2019-01-01T00:00:00Z';

describe('Olist in a spreadsheet: report URLs, campaigns and warnings', () => {
  let app: StandaloneApp;
  const dataDir = mkdtempSync(join(tmpdir(), 'funnel-olist-bi-'));
  let mqls: Record<string, string>[];
  let deals: Record<string, string>[];

  OLIST.beforeAll(async () => {
    ({ mqls, deals } = readOlist());
    app = await startStandalone(loadConfig({ SLA_CHECK_SECONDS: '0', PORT: '0', DATA_DIR: dataDir }));
    await ingestAll(app.url, olistEvents({ mqls, deals }));
  }, 300_000);
  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const get = (path: string) => fetch(`${app.url}/v1/reports/${path}`);

  OLIST.it('funnel.csv by CHANNEL holds the MQLs and wins per origin of the CSV', async () => {
    const res = await get(`funnel.csv?from=${from}&to=${to}&anchor=MQL&breakdown=CHANNEL`);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const rows: Record<string, string>[] = parse(await res.text(), { columns: true });
    const origin = new Map(mqls.map((m) => [m.mql_id, m.origin === '' ? '(none)' : m.origin]));
    for (const key of new Set(origin.values())) {
      const reached = (stage: string) => Number(rows.find((r) => r.key === key && r.stage === stage)!.reached);
      const expectedMqls = [...origin.values()].filter((o) => o === key).length;
      const expectedWins = deals.filter((d) => origin.get(d.mql_id) === key).length;
      expect({ key, mqls: reached('MQL'), wins: reached('WON') }).toEqual({ key, mqls: expectedMqls, wins: expectedWins });
    }
  });

  OLIST.it('campaigns lists every landing page the leads name', async () => {
    const rows: Record<string, string>[] = parse(await (await get('campaigns.csv')).text(), { columns: true });
    expect(rows.map((r) => r.id)).toEqual([...new Set(mqls.map((m) => m.landing_page_id))].sort());
  });

  OLIST.it('an SLA report over data without activities warns instead of silently claiming 0% compliance', async () => {
    const body: any = await (await get(`slaCompliance.json?from=${from}&to=${to}&asOf=${to}`)).json();
    expect(body.data[0]).toMatchObject({ breached: 8000, complianceRate: 0, neverFollowedUp: 8000 });
    expect(body.warnings.map((w: any) => w.code)).toEqual(['NO_ACTIVITY_DATA']);
  });

  OLIST.it('campaign performance without costs has null cost ratios and says why', async () => {
    const body: any = await (await get(`campaignPerformance.json?from=${from}&to=${to}&model=LINEAR`)).json();
    const won = body.data.filter((r: any) => r.wonDeals > 0);
    expect(won.length).toBeGreaterThan(0);
    expect(won.every((r: any) => r.costPerWonDeal === null && r.costPerLead === null && r.roas === null && r.costRecorded === false)).toBe(true);
    expect(body.warnings.map((w: any) => w.code)).toEqual(['NO_COST_DATA']);
  });

  OLIST.it('leads.csv lists every lead, across pages', async () => {
    const rows: Record<string, string>[] = parse(await (await get(`leads.csv?from=${from}&to=${to}`)).text(), { columns: true });
    expect(rows).toHaveLength(8000);
    expect(new Set(rows.map((r) => r.id)).size).toBe(8000);
  }, 180_000); // 16 pages of 500 through GraphQL on a shared 2-core machine
});
