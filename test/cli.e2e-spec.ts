import { loadConfig } from '@funnel/config';
import { expectEventually, runCommand, testClient } from '@funnel/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStandalone, type StandaloneApp } from '../apps/standalone/src/standalone.app';

/** The built `funnel` command (bin/funnel.js) as a user runs it, against an embedded server. */
describe('funnel command line', () => {
  const asOf = '2026-11-15T12:00:00.000Z';
  const yearBefore = '2025-11-15T12:00:00.000Z';
  const dataDir = mkdtempSync(join(tmpdir(), 'funnel-cli-'));
  let app: StandaloneApp;
  let running = false;
  const { data } = testClient(() => app.url);
  const funnel = (...args: string[]) => runCommand('funnel', args, { DATA_DIR: dataDir });

  beforeAll(async () => {
    app = await startStandalone(loadConfig({ SLA_CHECK_SECONDS: '0', PORT: '0', DATA_DIR: dataDir }));
    running = true;
  });
  afterAll(async () => {
    if (running) await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('seeds the demo business, and seeding it again adds nothing', async () => {
    const first = await funnel('seed', '--demo', '--url', app.url, '--leads', '600', '--seed', '11', '--as-of', asOf);
    expect(first.code).toBe(0);
    const [, posted, accepted] = /posted ([\d,]+) events in \d+ request\(s\): ([\d,]+) accepted, 0 duplicates, 0 rejected/.exec(first.output) ?? [];
    expect(posted).toBeDefined();
    expect(accepted).toBe(posted);

    const again = await funnel('seed', '--demo', '--url', app.url, '--leads', '600', '--seed', '11', '--as-of', asOf);
    expect(again.output).toContain(`0 accepted, ${posted} duplicates, 0 rejected`);
  }, 180_000);

  it('shows the status as a table until every projection has caught up', async () => {
    const { output } = await expectEventually(async () => {
      const run = await funnel('status', '--url', app.url);
      expect(run.code).toBe(0);
      expect(run.output).toContain('every read model is up to date');
      return run;
    }, 90_000, 500);
    expect(output).toMatch(/^accepted: [\d,]+ events$/m);
    // processed, lag 0, and no dead letters (the server reports them per projection)
    expect(output).toMatch(/^projection +processed +lag +dead letters$/m);
    expect(output).toMatch(/^postgres +[\d,]+ +0 +0$/m);
    expect(output).toMatch(/^clickhouse +[\d,]+ +0 +0$/m);
  }, 120_000);

  it('gives the reports a business worth looking at: SDRs of different speed, costs, stalled deals', async () => {
    const d = await data(`{
      slaCompliance(from: "${yearBefore}", to: "${asOf}", asOf: "${asOf}", breakdown: OWNER) { key complianceRate }
      campaignPerformance(from: "${yearBefore}", to: "${asOf}") { campaignId cost leads }
      stalledOpportunities(asOf: "${asOf}", first: 50) { totalCount }
    }`);
    const rate = Object.fromEntries(d.slaCompliance.map((r: { key: string; complianceRate: number }) => [r.key, r.complianceRate]));
    // sdr-ana calls back within hours, sdr-chloe often after the 24-hour limit.
    expect(rate['sdr-ana']).toBeGreaterThan(rate['sdr-chloe'] + 0.3);
    expect(d.campaignPerformance).toHaveLength(13);
    expect(d.campaignPerformance.every((c: { cost: number }) => c.cost > 0)).toBe(true);
    expect(d.stalledOpportunities.totalCount).toBeGreaterThan(0);
  });

  it('lists the published definitions and shows version 1', async () => {
    const list = await funnel('definitions', 'list', '--url', app.url);
    expect(list.code).toBe(0);
    expect(list.output).toMatch(/^version +name +published at +signed off by$/m);
    expect(list.output).toMatch(/^ +1 +\S/m);
    const show = await funnel('definitions', 'show', '1', '--url', app.url);
    expect(show.output).toMatch(/^mqlMinScore +60$/m);
    expect(show.output).toMatch(/^speedToLeadMinutes +1440$/m);
    expect(await funnel('definitions', 'diff', '1', '1', '--url', app.url)).toMatchObject({ code: 0, output: expect.stringContaining('define the funnel identically') });
    expect(await funnel('definitions', 'show', '7', '--url', app.url)).toMatchObject({ code: 1, output: expect.stringContaining('DEFINITION_NOT_FOUND') });
  }, 120_000);

  it.each(['', 'status', 'seed', 'definitions list', 'definitions show', 'definitions diff', 'replay', 'dead-letters list', 'dead-letters replay'])(
    'funnel %s --help exits 0',
    async (command) => {
      const run = await funnel(...command.split(' ').filter(Boolean), '--help');
      expect(run).toMatchObject({ code: 0, output: expect.stringContaining(`Usage: funnel ${command}`.trim()) });
    },
  );

  it('exits non-zero with a clear message on a bad flag, and when the stores belong to the running server', async () => {
    const bad = await funnel('status', '--bogus');
    expect(bad.code).toBe(1);
    expect(bad.output).toContain("error: unknown option '--bogus'");
    const locked = await funnel('dead-letters', 'list');
    expect(locked.code).toBe(1);
    expect(locked.output).toContain(`error: DATA_DIR ${dataDir} is in use by process ${process.pid}; stop it first`);
    expect(locked.output).not.toContain('    at ');
  }, 120_000);

  it('rebuilds a read model once the server is stopped', async () => {
    const { accepted } = (await (await fetch(`${app.url}/v1/status`)).json()) as { accepted: number };
    await app.close();
    running = false;
    const replay = await funnel('replay', '--projection', 'postgres');
    expect(replay).toMatchObject({ code: 0, output: expect.stringContaining(`rebuilt postgres from ${accepted} events`) });
  }, 180_000);
});
