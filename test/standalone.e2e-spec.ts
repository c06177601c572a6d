import { repoRoot } from '@funnel/clickhouse';
import { loadConfig } from '@funnel/config';
import { expectEventually, generateFunnelEvents } from '@funnel/testing';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStandalone, type StandaloneApp } from '../apps/standalone/src/standalone.app';

const at = '2026-03-02T10:15:00Z';

describe('embedded server over HTTP', () => {
  let app: StandaloneApp;
  let dataDir: string;

  const post = (body: string, contentType = 'application/json') =>
    fetch(`${app.url}/v1/events`, { method: 'POST', headers: { 'content-type': contentType }, body });
  const status = async () => (await fetch(`${app.url}/v1/status`)).json() as Promise<any>;
  const caughtUp = async (accepted: number) =>
    expectEventually(async () => {
      const s = await status();
      expect(s.accepted).toBe(accepted);
      for (const p of s.projections) expect(p).toMatchObject({ processed: accepted, lag: 0 });
      return s;
    }, 30_000);

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'funnel-e2e-'));
    app = await startStandalone(loadConfig({ SLA_CHECK_SECONDS: '0', PORT: '0', DATA_DIR: dataDir }));
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers a mixed JSON batch with exact per-event results and projects the accepted ones', async () => {
    const res = await post(JSON.stringify({
      events: [
        { id: 'm-1', type: 'LeadCaptured', occurredAt: at, data: { leadId: 'L-1', campaignId: 'C-1', channel: 'social' } },
        { id: 'm-2', type: 'LeadStageChanged', occurredAt: at, data: { leadId: 'L-1', stage: 'MQL' } },
        { id: 'm-1', type: 'LeadCaptured', occurredAt: at, data: { leadId: 'L-999' } },
        { id: 'm-3', type: 'OpportunityCreated', occurredAt: at, data: { opportunityId: 'O-1', amount: -5 } },
        { id: 'm-4', type: 'LeadTeleported', occurredAt: at, data: {} },
        { id: 'm-5', type: 'LeadStageChanged', occurredAt: '2026-03-02T10:15:00', data: { leadId: 'L-1', stage: 'MQL' } },
        { id: 'm-6', type: 'OpportunityCreated', occurredAt: at, data: { opportunityId: 'O-1', amount: '1200.50', leadIds: ['L-1'] } },
      ],
    }));
    expect(res.status).toBe(202);
    const body: any = await res.json();
    expect(body).toMatchObject({ accepted: 3, duplicates: 1 });
    expect(body.rejected.map((r: { index: number; id: string }) => [r.index, r.id])).toEqual([[3, 'm-3'], [4, 'm-4'], [5, 'm-5']]);
    expect(body.rejected[0].errors[0].path).toBe('data.amount');
    expect(body.rejected[1].errors[0].path).toBe('type');
    expect(body.rejected[1].errors[0].message).toContain('LeadTeleported');
    expect(body.rejected[2].errors[0].path).toBe('occurredAt');
    expect(body.results.map((r: { status: string }) => r.status)).toEqual([
      'accepted', 'accepted', 'duplicate', 'rejected', 'rejected', 'rejected', 'accepted',
    ]);

    // NDJSON: a duplicate of an earlier request, a bad line, a new event.
    const nd = [
      JSON.stringify({ id: 'm-2', type: 'LeadStageChanged', occurredAt: at, data: { leadId: 'L-1', stage: 'SQL' } }),
      '{not json',
      JSON.stringify({ id: 'm-7', type: 'OpportunityWon', occurredAt: '2026-03-20T00:00:00+02:00', data: { opportunityId: 'O-1' } }),
    ].join('\n');
    const ndRes = await post(nd, 'application/x-ndjson');
    expect(ndRes.status).toBe(202);
    const ndBody: any = await ndRes.json();
    expect(ndBody).toMatchObject({ accepted: 1, duplicates: 1 });
    expect(ndBody.rejected).toEqual([{ index: 1, errors: [expect.objectContaining({ message: expect.stringContaining('line 2') })] }]);

    await caughtUp(4);
    const rm = app.runtime.readModel;
    const [lead] = await rm.query(`SELECT lead_id, mql_at, source_campaign_id FROM leads`);
    expect(lead).toMatchObject({ lead_id: 'L-1', source_campaign_id: 'C-1' });
    const [opp] = await rm.query(`SELECT status, amount, won_at FROM opportunities WHERE opportunity_id = 'O-1'`);
    expect(opp).toMatchObject({ status: 'won', amount: 1200.5 });
    expect(opp.won_at.toISOString()).toBe('2026-03-19T22:00:00.000Z');
    const ch = app.runtime.clickhouse;
    const touches = await ch.query<{ n: string }>(`SELECT uniqExact(event_id) AS n FROM touches`);
    expect(Number(touches[0].n)).toBe(1);
    const links = await ch.query<{ n: string }>(`SELECT count() AS n FROM lead_links FINAL`);
    expect(Number(links[0].n)).toBe(1);
  });

  it('rejects bodies it cannot read with 400, 413, 415 and an all-invalid batch with 422', async () => {
    expect((await post('{"events": [')).status).toBe(400);
    expect((await post('')).status).toBe(400);
    expect((await post('hello', 'text/csv')).status).toBe(415);
    const many = JSON.stringify({ events: Array.from({ length: 10_001 }, (_, i) => ({ id: `x${i}` })) });
    const tooMany = await post(many);
    expect(tooMany.status).toBe(413);
    expect(((await tooMany.json()) as any).message).toContain('10000');
    const invalid = await post(JSON.stringify({ events: [{ id: 'bad-1', type: 'LeadCaptured', occurredAt: at, data: {} }] }));
    expect(invalid.status).toBe(422);
    expect(((await invalid.json()) as any).rejected[0].errors[0].path).toBe('data.leadId');
  });

  it('serves status over GraphQL, health and Prometheus metrics', async () => {
    const gql = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ status { accepted projections { name processed lag } } }' }),
    });
    const { data }: any = await gql.json();
    expect(data.status.projections.map((p: { name: string }) => p.name)).toEqual(['postgres', 'clickhouse']);
    expect((await fetch(`${app.url}/health`)).status).toBe(200);
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toContain('funnel_ingest_events_total{outcome="accepted"}');
  });

  it('serves its API docs at /docs and the committed openapi.json at /docs/openapi.json', async () => {
    const page = await fetch(`${app.url}/docs`);
    expect([page.status, page.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    expect(await page.text()).toContain('POST /v1/events');
    const served = await (await fetch(`${app.url}/docs/openapi.json`)).json();
    expect(served).toEqual(JSON.parse(readFileSync(join(repoRoot(), 'openapi.json'), 'utf8')));
  });

  it('takes a generated stream of a few thousand events and both read models catch up', async () => {
    const events = generateFunnelEvents({ leads: 400, seed: 3, prefix: 'bulk' });
    const before = (await status()).accepted;
    const res = await post(events.map((e) => JSON.stringify(e)).join('\n'), 'application/x-ndjson');
    expect(await res.json()).toMatchObject({ accepted: events.length, duplicates: 0, rejected: [] });
    await caughtUp(before + events.length);
    const [{ n }] = await app.runtime.readModel.query(`SELECT count(*)::int AS n FROM leads WHERE lead_id LIKE 'bulk-%'`);
    expect(n).toBe(new Set(events.flatMap((e) => ('leadId' in e.data ? [e.data.leadId] : []))).size);
  });
});
