import { loadConfig } from '@funnel/config';
import { funnelReport } from '@funnel/reporting';
import { generateFunnelEvents, testClient } from '@funnel/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStandalone, type StandaloneApp } from '../apps/standalone/src/standalone.app';

/** Record lists for BI tools: leads and opportunities with filters and keyset cursors. */
describe('leads and opportunities record lists', () => {
  let app: StandaloneApp;
  const dataDir = mkdtempSync(join(tmpdir(), 'funnel-records-'));
  const events = generateFunnelEvents({ leads: 80, seed: 11 });
  const from = '2026-01-01T00:00:00.000Z';
  const to = '2026-03-01T00:00:00.000Z';
  const { data, gql, postEvents, caughtUp } = testClient(() => app.url);

  const leadsPage = `query($filter: LeadFilter, $first: Int, $after: String) { leads(filter: $filter, first: $first, after: $after) {
    totalCount edges { cursor node { id channel ownerId sourceCampaignId } } pageInfo { hasNextPage endCursor } } }`;

  async function allLeadIds(filter: object): Promise<string[]> {
    const ids: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = (await data(leadsPage, { filter, first: 500, after })).leads;
      ids.push(...page.edges.map((e: any) => e.node.id));
      if (!page.pageInfo.hasNextPage) return ids;
      after = page.pageInfo.endCursor;
    }
  }

  beforeAll(async () => {
    app = await startStandalone(loadConfig({ SLA_CHECK_SECONDS: '0', PORT: '0', DATA_DIR: dataDir }));
    expect((await postEvents(events)).status).toBe(202);
    await caughtUp();
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a record added between two pages never repeats or vanishes (keyset cursors)', async () => {
    const before = await allLeadIds({});
    const first = (await data(leadsPage, { first: 10 })).leads;
    expect(first.edges).toHaveLength(10);
    expect(first.pageInfo.hasNextPage).toBe(true);
    // Between the pages: one lead that sorts before the cursor, one after it.
    const lastSeen: string = first.edges[9].node.id;
    await postEvents([
      { id: 'new-1', type: 'LeadCaptured', occurredAt: '2026-01-10T00:00:00Z', data: { leadId: '!early' } },
      { id: 'new-2', type: 'LeadCaptured', occurredAt: '2026-01-10T00:00:00Z', data: { leadId: '~late' } },
    ]);
    await caughtUp();
    const seen: string[] = first.edges.map((e: any) => e.node.id);
    let after = first.pageInfo.endCursor;
    for (;;) {
      const page: any = (await data(leadsPage, { first: 10, after })).leads;
      seen.push(...page.edges.map((e: any) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => id !== '~late')).toEqual(before);
    expect(seen).toContain('~late');
    expect('!early' < lastSeen).toBe(true);
    expect(seen).not.toContain('!early');
    // Cursors are opaque base64 of the sort key.
    expect(Buffer.from(first.pageInfo.endCursor, 'base64url').toString()).toBe(JSON.stringify(['leads', lastSeen]));
  });

  it('filters leads as the funnel counts them: capture period, reached stage, channel, campaign, owner', async () => {
    const funnel = funnelReport(events, { from, to, breakdown: 'CHANNEL' });
    for (const group of funnel.filter((g) => g.key !== '(none)')) {
      for (const stage of ['CAPTURED', 'MQL', 'SQL', 'WON'] as const) {
        const reached = group.stages.find((s) => s.stage === stage)!.reached;
        const filter = { from, to, stage, channel: group.key };
        const { leads } = await data(leadsPage, { filter, first: 1 });
        expect([group.key, stage, leads.totalCount]).toEqual([group.key, stage, reached]);
      }
    }
    const some = (await data(leadsPage, { filter: { from, to }, first: 50 })).leads.edges.map((e: any) => e.node);
    const owner = some.find((l: any) => l.ownerId)!.ownerId;
    const campaign = some.find((l: any) => l.sourceCampaignId)!.sourceCampaignId;
    const byOwner = (await data(leadsPage, { filter: { ownerId: owner }, first: 500 })).leads.edges;
    expect(byOwner.length).toBeGreaterThan(0);
    expect(byOwner.every((e: any) => e.node.ownerId === owner)).toBe(true);
    const byCampaign = (await data(leadsPage, { filter: { campaignId: campaign }, first: 500 })).leads.edges;
    expect(byCampaign.every((e: any) => e.node.sourceCampaignId === campaign)).toBe(true);
    // Lead status buckets partition the leads.
    const total = (await data(leadsPage, { first: 1 })).leads.totalCount;
    let sum = 0;
    for (const status of ['open', 'dispositioned', 'won', 'lost']) sum += (await data(leadsPage, { filter: { status }, first: 1 })).leads.totalCount;
    expect(sum).toBe(total);
  });

  it('filters opportunities by creation period, status, stage and owner', async () => {
    const q = `query($filter: OpportunityFilter, $after: String) { opportunities(filter: $filter, first: 500, after: $after) {
      totalCount edges { node { id status stage ownerId createdAt leadIds } } pageInfo { hasNextPage } } }`;
    const all = (await data(q, {})).opportunities;
    const created = new Set(events.filter((e) => e.type === 'OpportunityCreated').map((e) => (e.data as { opportunityId: string }).opportunityId));
    expect(all.totalCount).toBe(created.size);
    const statuses = ['open', 'won', 'lost'];
    let sum = 0;
    for (const status of statuses) {
      const page = (await data(q, { filter: { status } })).opportunities;
      expect(page.edges.every((e: any) => e.node.status === status)).toBe(true);
      sum += page.totalCount;
    }
    expect(sum).toBe(all.totalCount);
    const inPeriod = (await data(q, { filter: { from, to } })).opportunities.edges;
    expect(inPeriod.every((e: any) => e.node.createdAt >= from && e.node.createdAt < to)).toBe(true);
    const sample = all.edges.find((e: any) => e.node.ownerId && e.node.stage).node;
    const narrowed = (await data(q, { filter: { ownerId: sample.ownerId, stage: sample.stage } })).opportunities.edges;
    expect(narrowed.map((e: any) => e.node.id)).toContain(sample.id);
    expect(narrowed.every((e: any) => e.node.ownerId === sample.ownerId && e.node.stage === sample.stage)).toBe(true);
  });

  it('names the bad argument', async () => {
    const bad = async (query: string) => (await gql(query)).errors[0].extensions;
    expect(await bad(`{ leads(first: 0) { totalCount } }`)).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
    expect(await bad(`{ leads(after: "eHl6") { totalCount } }`)).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    expect(await bad(`{ opportunities(filter: { status: "pending" }) { totalCount } }`)).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'status' });
    expect(await bad(`{ leads(filter: { from: "${to}", to: "${from}" }) { totalCount } }`)).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'to' });
  });
});
