/// <reference lib="dom" />
// Page callbacks below run in the browser.
import { repoRoot } from '@funnel/clickhouse';
import { loadConfig } from '@funnel/config';
import { expectClose, expectEventually } from '@funnel/testing';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startStandalone, type StandaloneApp } from '../apps/standalone/src/standalone.app';
import { DEMO_FROM, DEMO_TO, dashboardDemoEvents } from './dashboard-demo-events';

/**
 * The dashboard in a real headless Chromium against the embedded server: every number the page
 * shows (the data-value of its table cells) equals the GraphQL answer the test fetches itself,
 * pickers rewrite the URL, and a pasted URL restores the same view. Writes docs/dashboard.png.
 */
const CHROMIUM = '/usr/bin/chromium';
const KEY = 'dashboard-e2e-key';
const SCREENSHOT = join(repoRoot(), 'docs/dashboard.png');
const from = `${DEMO_FROM}T00:00:00.000Z`;
const to = `${DEMO_TO}T00:00:00.000Z`;
const asOf = to; // the period is over, so the page reports as of its end

/**
 * What a data-value holds: '' for null, else the number or text. ClickHouse sums floats in the
 * order it reads parts, so two answers to the same query may differ in the last digit: numbers
 * are compared with expectClose (1e-9 relative).
 */
type Value = number | string | null;
const parse = (s: string | undefined): Value => (s === undefined || s === '' ? null : s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : s);

interface TableRow {
  key: Value;
  stage: string | undefined;
  cells: Record<string, Value>;
}

async function readTable(page: Page, id: string): Promise<TableRow[]> {
  const rows = await page.$$eval(`#${id} tbody tr[data-key]`, (trs) => trs.map((r) => ({
    key: (r as HTMLElement).dataset.key,
    stage: (r as HTMLElement).dataset.stage,
    cells: Array.from(r.querySelectorAll<HTMLElement>('[data-field]')).map((td) => [td.dataset.field!, td.dataset.value!] as const),
  })));
  return rows.map((r) => ({ key: parse(r.key), stage: r.stage, cells: Object.fromEntries(r.cells.map(([k, v]) => [k, parse(v)])) }));
}

/** Every number on the page, in document order: two pages showing the same view agree on it. */
async function everyValue(page: Page): Promise<[string, Value][]> {
  const cells = await page.$$eval('[data-value]', (xs) =>
    xs.map((c) => [(c as HTMLElement).dataset.field ?? (c as HTMLElement).dataset.kpi ?? '', (c as HTMLElement).dataset.value!] as const));
  return cells.map(([k, v]) => [k, parse(v)]);
}

const kpi = async (page: Page, id: string) => parse(await page.$eval(`[data-kpi="${id}"]`, (e) => (e as HTMLElement).dataset.value));
const ready = (page: Page) => page.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 60_000 });

describe('dashboard in headless Chromium', () => {
  let app: StandaloneApp;
  let browser: Browser;
  let page: Page;
  const dataDir = mkdtempSync(join(tmpdir(), 'funnel-dashboard-'));
  const pageErrors: string[] = [];

  async function gql(query: string, variables: Record<string, unknown> = {}): Promise<any> {
    const res = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
      body: JSON.stringify({ query, variables }),
    });
    const body: any = await res.json();
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  }

  beforeAll(async () => {
    // Never skipped: without the browser this test cannot say anything about the page.
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium package (apt-get install chromium)`);
    app = await startStandalone(loadConfig({ SLA_CHECK_SECONDS: '0', PORT: '0', DATA_DIR: dataDir, API_KEYS: `dash:ingest+analyst:${KEY}` }));
    const events = dashboardDemoEvents();
    for (let i = 0; i < events.length; i += 10_000) {
      const res = await fetch(`${app.url}/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${KEY}` },
        body: events.slice(i, i + 10_000).map((e) => JSON.stringify(e)).join('\n'),
      });
      expect(await res.json()).toMatchObject({ duplicates: 0, rejected: [] });
    }
    await expectEventually(async () => {
      const s: any = (await gql('{ status { accepted projections { lag } } }')).status;
      expect(s.accepted).toBe(events.length);
      for (const p of s.projections) expect(p.lag).toBe(0);
    }, 300_000);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
  }, 420_000);
  afterEach(() => expect(pageErrors).toEqual([]));

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the page and the chart library from node_modules without a key; the data needs one', async () => {
    const index = await fetch(`${app.url}/`);
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('<script type="module" src="/dashboard/dashboard.js">');
    const chart = await fetch(`${app.url}/dashboard/chart.umd.js`);
    expect(chart.status).toBe(200);
    const chartFile = join(dirname(require.resolve('chart.js')), 'chart.umd.js');
    expect(await chart.text()).toBe(readFileSync(chartFile, 'utf8'));
    expect((await fetch(`${app.url}/dashboard/dashboard.css`)).headers.get('content-type')).toContain('text/css');
    expect((await fetch(`${app.url}/dashboard/package.json`)).status).toBe(404);
    expect((await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ status { accepted } }"}' })).status).toBe(401);
  });

  it('shows in every table exactly what GraphQL answers', async () => {
    await page.goto(`${app.url}/?from=${DEMO_FROM}&to=${DEMO_TO}&breakdown=CHANNEL&model=LINEAR&target=WON&key=${KEY}`);
    await ready(page);
    // The key is taken from the link, then dropped from it; the defaults are written into it.
    const url = new URL(page.url());
    expect(url.searchParams.get('key')).toBeNull();
    expect(Object.fromEntries(url.searchParams)).toEqual({ from: DEMO_FROM, to: DEMO_TO, breakdown: 'CHANNEL', model: 'LINEAR', target: 'WON', version: '1' });

    const funnel = (await gql(
      `query($from: DateTime!, $to: DateTime!) {
        byChannel: funnel(from: $from, to: $to, breakdown: CHANNEL) { groups { key stages { stage entered reached skipped conversionFromPrevious conversionFromAnchor } } }
        all: funnel(from: $from, to: $to) { groups { stages { stage reached } } } }`,
      { from, to },
    ));
    const expectedFunnel = funnel.byChannel.groups.flatMap((g: any) => g.stages.map((s: any) => ({ key: g.key, stage: s.stage, cells: { key: g.key, ...s } })));
    expect(funnel.byChannel.groups.length).toBeGreaterThan(3);
    expectClose(await readTable(page, 'funnel-table'), expectedFunnel);

    // Who moved the number: this period against the one before it, of the same length.
    const baseFrom = new Date(2 * Date.parse(from) - Date.parse(to)).toISOString();
    const { conversionChange } = await gql(
      `query($baseFrom: DateTime!, $baseTo: DateTime!, $from: DateTime!, $to: DateTime!) {
        conversionChange(baseFrom: $baseFrom, baseTo: $baseTo, from: $from, to: $to, target: WON, by: CHANNEL) {
          rows { key baseLeads leads baseShare share baseRate rate mixEffect rateEffect } steps { fromStage toStage owner baseRate rate logChange } } }`,
      { baseFrom, baseTo: from, from, to },
    );
    expect(conversionChange.rows.length).toBeGreaterThan(0);
    expectClose((await readTable(page, 'change-table')).map((r) => r.cells), conversionChange.rows);
    expectClose((await readTable(page, 'change-steps-table')).map((r) => r.cells),
      conversionChange.steps.map(({ fromStage, toStage, ...r }: any) => ({ step: `${fromStage}-${toStage}`, ...r })));
    // The chart draws the same numbers as the table (conversion from capture, in percent).
    const chartData = await page.evaluate(() => (window as any).Chart.getChart('funnel-chart').data.datasets.map((d: any) => d.data));
    const largest = [...funnel.byChannel.groups].sort((a: any, b: any) => b.stages[0].reached - a.stages[0].reached)[0];
    expectClose(chartData[0], largest.stages.map((s: any) => s.conversionFromAnchor * 100));

    const total = (stage: string) => funnel.all.groups[0].stages.find((s: any) => s.stage === stage).reached;
    expect(await kpi(page, 'captured')).toBe(total('CAPTURED'));
    expect(await kpi(page, 'won')).toBe(total('WON'));
    expect(total('WON')).toBeGreaterThan(50);

    await expectCampaigns('LINEAR');

    const cohortFields = 'cohort size converted rate maturity';
    const cohortArgs = 'from: $from, to: $to, grain: MONTH, target: WON, asOf: $asOf';
    const cohorts = await gql(
      `query($from: DateTime!, $to: DateTime!, $asOf: DateTime) {
        w90: cohorts(${cohortArgs}, windowDays: 90) { ${cohortFields} } all: cohorts(${cohortArgs}) { ${cohortFields} } }`,
      { from, to, asOf },
    );
    expect(cohorts.all.map((c: any) => c.cohort)).toEqual(Array.from({ length: 12 }, (_, m) => `2025-${String(m + 1).padStart(2, '0')}`));
    const heatmap = await readTable(page, 'cohorts-table');
    expect(heatmap.map((r) => r.key)).toEqual(cohorts.all.map((c: any) => c.cohort));
    heatmap.forEach((r, i) => {
      expectClose({ size: r.cells.size, all: r.cells.all, w90: r.cells.w90 }, { size: cohorts.all[i].size, all: cohorts.all[i].rate, w90: cohorts.w90[i].rate });
    });

    const { slaCompliance } = await gql(
      `query($from: DateTime!, $to: DateTime!, $asOf: DateTime!) { slaCompliance(from: $from, to: $to, asOf: $asOf, breakdown: OWNER) {
        key met breached pending complianceRate neverFollowedUp p50MinutesToFirstActivity } }`,
      { from, to, asOf },
    );
    expect(slaCompliance.map((r: any) => r.key)).toEqual(['rep-ana', 'rep-ben', 'rep-chloe', 'rep-dev']);
    expectClose((await readTable(page, 'sla-table')).map((r) => r.cells), slaCompliance);

    const { reconciliation } = await gql(
      `query($from: DateTime!, $to: DateTime!) { reconciliation(from: $from, to: $to, breakdown: CAMPAIGN) {
        key mqls won opportunityOpen lost qualifiedNoOpportunity acceptedNotQualified neverAccepted rejected } }`,
      { from, to },
    );
    expectClose((await readTable(page, 'reconciliation-table')).map((r) => r.cells), reconciliation);

    const { stalledOpportunities } = await gql(
      `query($asOf: DateTime!) { stalledOpportunities(asOf: $asOf, first: 15) { totalCount edges { node { id stage ownerId amount daysInStage reasons } } } }`,
      { asOf },
    );
    expect(stalledOpportunities.totalCount).toBeGreaterThan(15);
    expectClose((await readTable(page, 'stalled-table')).map((r) => r.cells),
      stalledOpportunities.edges.map(({ node }: any) => ({ ...node, reasons: node.reasons.join(',') })));
    expect(await page.$eval('#stalled-table tfoot [data-field="totalCount"]', (e) => (e as HTMLElement).dataset.value)).toBe(String(stalledOpportunities.totalCount));
    await page.click('#stalled-more');
    await expectEventually(async () => expect((await readTable(page, 'stalled-table')).length).toBe(Math.min(30, stalledOpportunities.totalCount)));
  }, 120_000);

  async function expectCampaigns(model: string) {
    const { campaignPerformance } = await gql(
      `query($from: DateTime!, $to: DateTime!, $model: AttributionModel) { campaignPerformance(from: $from, to: $to, model: $model) {
        campaignId channel cost leads mqls sqls opportunities attributedPipeline wonDeals attributedRevenue costPerLead costPerWonDeal roas } }`,
      { from, to, model },
    );
    expect(campaignPerformance).toHaveLength(6);
    const rows = await readTable(page, 'campaigns-table');
    expect(rows.map((r) => r.key)).toEqual(campaignPerformance.map((c: any) => c.campaignId));
    expectClose(rows.map((r) => r.cells), campaignPerformance);
    expectClose(await kpi(page, 'revenue'), campaignPerformance.reduce((n: number, c: any) => n + c.attributedRevenue, 0));
  }

  it('rewrites the URL when a picker changes and shows the new numbers', async () => {
    await page.selectOption('select[name="model"]', 'W_SHAPED');
    await ready(page);
    expect(new URL(page.url()).searchParams.get('model')).toBe('W_SHAPED');
    await expectCampaigns('W_SHAPED');

    await page.selectOption('select[name="breakdown"]', '');
    await ready(page);
    expect(new URL(page.url()).searchParams.has('breakdown')).toBe(false);
    const { funnel } = await gql(`query($from: DateTime!, $to: DateTime!) { funnel(from: $from, to: $to) { groups { stages { stage reached } } } }`, { from, to });
    const rows = await readTable(page, 'funnel-table');
    expect(rows.map((r) => [r.key, r.stage, r.cells.reached])).toEqual(funnel.groups[0].stages.map((s: any) => [null, s.stage, s.reached]));

    // An inverted period is refused in the page, naming the rule; restoring it reloads.
    await page.fill('input[name="to"]', '2024-06-01');
    await page.waitForFunction(() => document.body.dataset.state === 'error');
    expect(await page.textContent('#banner')).toContain('half-open');
    await page.fill('input[name="to"]', DEMO_TO);
    await ready(page);
    expect(await page.isHidden('#banner')).toBe(true);
    expect(new URL(page.url()).searchParams.get('to')).toBe(DEMO_TO);
  }, 120_000);

  it('restores the same view from a pasted link in a fresh browser, asking for the key', async () => {
    const link = page.url();
    const fresh = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    try {
      const other = await fresh.newPage();
      await other.goto(link);
      await other.waitForFunction(() => document.body.dataset.state === 'needs-key');
      await other.fill('#key-form input[name="key"]', KEY);
      await other.click('#key-form button[type="submit"]');
      await ready(other);
      expect(other.url()).toBe(link);
      const controls = (p: Page) => p.$$eval('#controls select, #controls input', (xs) => xs.map((x) => `${(x as HTMLInputElement).name}=${(x as HTMLInputElement).value}`));
      expect(await controls(other)).toEqual(await controls(page));
      // Paging through stalled deals is not part of the link: page on as far as the first page did.
      const stalledShown = (await readTable(page, 'stalled-table')).length;
      while ((await readTable(other, 'stalled-table')).length < stalledShown) {
        await other.click('#stalled-more');
        await ready(other);
      }
      const values = await everyValue(other);
      expect(values.length).toBeGreaterThan(300);
      expectClose(values, await everyValue(page));
    } finally {
      await fresh.close();
    }
  }, 120_000);

  it('writes the screenshot of the README', async () => {
    await page.goto(`${app.url}/?from=${DEMO_FROM}&to=${DEMO_TO}&model=W_SHAPED&target=WON&version=1`);
    await ready(page);
    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(readFileSync(SCREENSHOT).subarray(1, 4).toString()).toBe('PNG');
  }, 60_000);
});
