import { loadConfig } from '@funnel/config';
import { expectEventually } from '@funnel/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStandalone, type StandaloneApp } from '../apps/standalone/src/standalone.app';

/**
 * Data-quality warnings, null cost ratios, API keys and CORS on the report URLs, over data like a
 * CRM export without activities, costs or (in May) touches: the numbers stay DESIGN's, and the
 * answer says how far to trust them.
 */
describe('data-quality warnings, API keys and CORS', () => {
  let app: StandaloneApp;
  const dataDir = mkdtempSync(join(tmpdir(), 'funnel-warn-'));
  const key = 'k-analyst-0123456789';
  const allowed = 'https://bi.example.com';
  const auth = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };

  const e = (id: string, type: string, occurredAt: string, data: object) => ({ id, type, occurredAt, data });
  const events = [
    // March: a lead from campaign C-x (its capture is a touch), won; no cost, no activity anywhere.
    e('m1', 'LeadCaptured', '2026-03-02T10:00:00Z', { leadId: 'L-1', campaignId: 'C-x', channel: 'organic' }),
    e('m2', 'LeadStageChanged', '2026-03-02T10:00:00Z', { leadId: 'L-1', stage: 'MQL' }),
    e('m3', 'OpportunityCreated', '2026-03-10T10:00:00Z', { opportunityId: 'O-1', leadIds: ['L-1'], amount: 500 }),
    e('m4', 'OpportunityWon', '2026-03-20T10:00:00Z', { opportunityId: 'O-1' }),
    // May: a lead without any campaign or touch, won.
    e('n1', 'LeadCaptured', '2026-05-05T10:00:00Z', { leadId: 'L-2', channel: 'direct' }),
    e('n2', 'LeadStageChanged', '2026-05-05T10:00:00Z', { leadId: 'L-2', stage: 'MQL' }),
    e('n3', 'OpportunityCreated', '2026-05-06T10:00:00Z', { opportunityId: 'O-2', leadIds: ['L-2'], amount: 900 }),
    e('n4', 'OpportunityWon', '2026-05-07T10:00:00Z', { opportunityId: 'O-2' }),
  ];
  const march = { from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z' };
  const may = { from: '2026-05-01T00:00:00Z', to: '2026-06-01T00:00:00Z' };

  async function gql(query: string): Promise<any> {
    const res = await fetch(`${app.url}/graphql`, { method: 'POST', headers: auth, body: JSON.stringify({ query }) });
    return res.json();
  }
  const reportJson = async (path: string): Promise<any> => (await fetch(`${app.url}/v1/reports/${path}`, { headers: auth })).json();

  beforeAll(async () => {
    app = await startStandalone(loadConfig({ SLA_CHECK_SECONDS: '0', PORT: '0', DATA_DIR: dataDir, API_KEYS: `bi:ingest+analyst:${key}`, CORS_ORIGINS: `${allowed},http://localhost:8080` }));
    const res = await fetch(`${app.url}/v1/events`, { method: 'POST', headers: auth, body: JSON.stringify({ events }) });
    expect(res.status).toBe(202);
    await expectEventually(async () => {
      const s: any = await (await fetch(`${app.url}/v1/status`, { headers: auth })).json();
      for (const p of s.projections) expect(p.lag).toBe(0);
    });
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('NO_ACTIVITY_DATA: SLA and lead-quality reports keep DESIGN numbers and say the cohort has no activity', async () => {
    const body = await gql(`{ slaCompliance(from: "${march.from}", to: "${march.to}", asOf: "${march.to}") { met breached complianceRate neverFollowedUp }
      leadQualityVsHandling(from: "${march.from}", to: "${march.to}") { metCount breachedCount } }`);
    expect(body.data.slaCompliance).toEqual([{ met: 0, breached: 1, complianceRate: 0, neverFollowedUp: 1 }]);
    expect(body.extensions.warnings).toEqual([
      expect.objectContaining({ code: 'NO_ACTIVITY_DATA', path: ['slaCompliance'] }),
      expect.objectContaining({ code: 'NO_ACTIVITY_DATA', path: ['leadQualityVsHandling'] }),
    ]);
    expect(body.extensions.warnings[0].message).toContain('none of the 1 MQLs');
    const url = await reportJson(`slaCompliance.json?from=${march.from}&to=${march.to}&asOf=${march.to}`);
    expect(url.warnings).toEqual([expect.objectContaining({ code: 'NO_ACTIVITY_DATA', path: ['slaCompliance'] })]);
  });

  it('NO_COST_DATA: without a cost record the cost ratios are null, never 0', async () => {
    const body = await gql(`{ campaignPerformance(from: "${march.from}", to: "${march.to}", model: LINEAR) {
      campaignId cost costRecorded wonDeals attributedRevenue costPerLead costPerWonDeal roas } }`);
    expect(body.data.campaignPerformance).toEqual([
      { campaignId: 'C-x', cost: 0, costRecorded: false, wonDeals: 1, attributedRevenue: 500, costPerLead: null, costPerWonDeal: null, roas: null },
    ]);
    expect(body.extensions.warnings).toEqual([expect.objectContaining({ code: 'NO_COST_DATA', path: ['campaignPerformance'] })]);
  });

  it('NO_TOUCH_DATA: attribution that credits everything to (none) says so', async () => {
    const url = await reportJson(`attribution.json?from=${may.from}&to=${may.to}&model=LINEAR&milestone=WON`);
    expect(url.data.rows).toEqual([{ key: '(none)', credit: 1, value: 900 }]);
    expect(url.warnings).toEqual([expect.objectContaining({ code: 'NO_TOUCH_DATA', path: ['attribution'] })]);
    // March has a touch (the capture with a campaign): no warning.
    expect((await reportJson(`attribution.json?from=${march.from}&to=${march.to}&model=LINEAR&milestone=WON`)).warnings).toEqual([]);
  });

  it('IMMATURE_COHORT: one warning per cohort whose maturity is below 1, with its row path', async () => {
    const body = await gql(`{ mar: cohorts(from: "${march.from}", to: "${may.to}", grain: MONTH, target: WON, windowDays: 30, asOf: "2026-05-20T00:00:00Z") {
      cohort maturity } }`);
    expect(body.data.mar).toEqual([{ cohort: '2026-03', maturity: 1 }, { cohort: '2026-05', maturity: 0 }]);
    expect(body.extensions.warnings).toEqual([
      { code: 'IMMATURE_COHORT', path: ['mar', 1], message: expect.stringContaining('cohort 2026-05 has maturity 0') },
    ]);
  });

  it('report URLs need an API key like the rest of /v1: header, or api_key in the URL for spreadsheets', async () => {
    const path = `/v1/reports/funnel.csv?from=${march.from}&to=${march.to}`;
    expect((await fetch(`${app.url}${path}`)).status).toBe(401);
    expect((await fetch(`${app.url}${path}`, { headers: { 'x-api-key': 'wrong' } })).status).toBe(401);
    expect((await fetch(`${app.url}${path}`, { headers: { 'x-api-key': key } })).status).toBe(200);
    const viaUrl = await fetch(`${app.url}${path}&api_key=${key}`);
    expect(viaUrl.status).toBe(200);
    expect(await viaUrl.text()).toContain('CAPTURED');
    expect((await fetch(`${app.url}${path}&api_key=wrong`)).status).toBe(401);
  });

  it('CORS: origins of CORS_ORIGINS get CORS headers on /graphql and /v1/reports, others none', async () => {
    for (const path of ['/graphql', `/v1/reports/funnel.json?from=${march.from}&to=${march.to}`]) {
      const preflight = await fetch(`${app.url}${path}`, {
        method: 'OPTIONS',
        headers: { origin: allowed, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe(allowed);
      expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');

      const denied = await fetch(`${app.url}${path}`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
      expect(denied.headers.get('access-control-allow-origin')).toBeNull();
    }
    const get = await fetch(`${app.url}/v1/reports/funnel.csv?from=${march.from}&to=${march.to}`, { headers: { origin: allowed, 'x-api-key': key } });
    expect(get.headers.get('access-control-allow-origin')).toBe(allowed);
    expect(get.headers.get('access-control-expose-headers')).toContain('content-disposition');
    const other = await fetch(`${app.url}/v1/reports/funnel.csv?from=${march.from}&to=${march.to}`, { headers: { origin: 'https://evil.example', 'x-api-key': key } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    // Ingest is not a browser endpoint: no CORS there.
    const ingest = await fetch(`${app.url}/v1/events`, { method: 'OPTIONS', headers: { origin: allowed, 'access-control-request-method': 'POST' } });
    expect(ingest.headers.get('access-control-allow-origin')).toBeNull();
  });
});
