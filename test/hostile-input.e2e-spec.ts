import { loadConfig } from '@funnel/config';
import { expectEventually, testClient } from '@funnel/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStandalone, type StandaloneApp } from '../apps/standalone/src/standalone.app';

/**
 * Regression tests for the hostile-input findings of issue 12, over HTTP on the embedded server:
 * no bad value costs its neighbours, no id is rewritten, nothing a store cannot hold gets in,
 * error output is bounded, and GraphQL answers bad input with coded errors, never a 500.
 */
describe('hostile input on the embedded server', () => {
  let app: StandaloneApp;
  const dataDir = mkdtempSync(join(tmpdir(), 'funnel-hostile-'));
  const { caughtUp } = testClient(() => app.url);
  const at = '2026-03-02T10:15:00Z';
  /** Events accepted by the responses of this file; /v1/status must agree. */
  let acceptedSoFar = 0;

  beforeAll(async () => {
    app = await startStandalone(loadConfig({ SLA_CHECK_SECONDS: '0', PORT: '0', DATA_DIR: dataDir }));
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function post(body: string): Promise<{ status: number; body: any; bytes: number }> {
    const res = await fetch(`${app.url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const text = await res.text();
    const parsed = JSON.parse(text);
    acceptedSoFar += parsed.accepted ?? 0;
    return { status: res.status, body: parsed, bytes: Buffer.byteLength(text) };
  }
  const postEvents = (events: readonly object[]) => post(JSON.stringify({ events }));
  const status = async () => (await (await fetch(`${app.url}/v1/status`)).json()) as any;

  async function graphql(query: string, variables?: Record<string, unknown>): Promise<{ status: number; body: any }> {
    const res = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, body: await res.json() };
  }

  describe('ingest', () => {
    it('a NUL at index 5000 of a 10,000-event batch costs only that event, and status agrees', async () => {
      const events = Array.from({ length: 10_000 }, (_, i) => ({
        id: `nul-${i}`,
        type: 'LeadCaptured',
        occurredAt: at,
        data: { leadId: `L-nul-${i}`, channel: i === 5000 ? 'web\u0000' : 'web' },
      }));
      const res = await postEvents(events);
      expect(res.status).toBe(202);
      expect(res.body.accepted).toBe(9_999);
      expect(res.body.rejected).toEqual([{ index: 5000, id: 'nul-5000', errors: [expect.objectContaining({ path: 'data.channel' })] }]);
      expect(res.body.rejected[0].errors[0].message).toContain('NUL');
      const s = await caughtUp(120_000);
      expect((s as any).accepted).toBe(acceptedSoFar);
    }, 180_000);

    it('rejects ids that are not valid Unicode instead of rewriting and merging them', async () => {
      const event = (id: string) => ({ id, type: 'LeadCaptured', occurredAt: at, data: { leadId: 'L-sur' } });
      const first = await postEvents([event('x\ud800')]);
      expect(first.status).toBe(422);
      expect(first.body.rejected[0]).toMatchObject({ index: 0, errors: [{ path: 'id' }] });
      expect(first.body.rejected[0].errors[0].message).toContain('unpaired surrogate');
      // Not a duplicate of the first: that one was never stored (as x\uFFFD or otherwise).
      const second = await postEvents([event('x\udfff'), event('x\ufffd')]);
      expect(second.status).toBe(202);
      expect(second.body).toMatchObject({ accepted: 1, duplicates: 0 });
      expect(second.body.rejected.map((r: any) => r.index)).toEqual([0]);
      expect((await status()).accepted).toBe(acceptedSoFar);
    });

    it.each([
      ['occurredAt', { occurredAt: '0000-01-01T00:00:00Z', type: 'LeadCaptured', data: { leadId: 'L' } }],
      ['occurredAt', { occurredAt: '9999-12-31T23:59:59-01:00', type: 'LeadCaptured', data: { leadId: 'L' } }],
      ['data.periodStart', { type: 'CampaignCostRecorded', data: { campaignId: 'C', amount: 1, periodStart: '0000-01-01', periodEnd: '2026-01-01' } }],
      ['data.timelineDays', { type: 'LeadQualificationUpdated', data: { leadId: 'L', timelineDays: 2_147_483_648 } }],
      ['data.amount', { type: 'OpportunityCreated', data: { opportunityId: 'O', amount: 1e308 } }],
      ['data.amount', { type: 'CampaignCostRecorded', data: { campaignId: 'C', amount: 1e15, periodStart: '2026-01-01', periodEnd: '2026-02-01' } }],
    ])('rejects a value the read models cannot store: %s', async (path, fields) => {
      const res = await postEvents([{ id: `far-${Math.random()}`, occurredAt: at, ...fields }]);
      expect(res.status).toBe(422);
      expect(res.body.rejected[0].errors.map((e: any) => e.path)).toEqual([path]);
    });

    it('answers a large body of unknown keys with a bounded response', async () => {
      const data: Record<string, number> = { leadId: 0 };
      for (let i = 0; i < 400_000; i++) data[`unknown_field_${i}`] = i;
      const body = JSON.stringify({ events: [{ id: 'flood', type: 'LeadCaptured', occurredAt: at, data }] });
      expect(body.length).toBeGreaterThan(8_000_000);
      const res = await post(body);
      expect(res.status).toBe(422);
      const [rejected] = res.body.rejected;
      // 400,000 unknown fields and a numeric leadId: 19 shown, the 20th counts the other 399,982.
      expect(rejected.errors).toHaveLength(20);
      expect(rejected.errors[19].message).toBe('...and 399982 more errors in this event');
      expect(res.bytes).toBeLessThan(10_000);
      // The server is still there for everyone else.
      expect((await fetch(`${app.url}/health`)).status).toBe(200);
    });
  });

  it('bounds the error details of a batch of tiny bad events by the request, still listing each one', async () => {
    const body = JSON.stringify({ events: Array.from({ length: 10_000 }, () => ({})) });
    const res = await post(body);
    expect(res.status).toBe(422);
    expect(res.body.rejected).toHaveLength(10_000);
    expect(res.body.rejected.every((r: { errors: unknown[] }) => r.errors.length >= 1)).toBe(true);
    expect(res.body.truncatedErrors).toBeGreaterThan(9_000);
    // 64 KiB of full details, then per event its index, status and first error (about 100 bytes).
    expect(res.bytes).toBeLessThan(64 * 1024 + 2 * Buffer.byteLength(body) + 10_000 * 110);
  });

  describe('GraphQL', () => {
    const funnel = (from: string) => `{ funnel(from: ${JSON.stringify(from)}, to: "2026-02-01T00:00:00Z") { definitionVersion } }`;

    it.each(['yesterday', '2018-02-30T00:00:00Z', '01/02/2018', '2018-02-01T00:00:00', '0000-01-01T00:00:00Z'])(
      'a DateTime literal %p is BAD_USER_INPUT naming the argument (HTTP 400)',
      async (from) => {
        const res = await graphql(funnel(from));
        expect(res.status).toBe(400);
        expect(res.body.errors).toEqual([
          expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', argument: 'from' }) }),
        ]);
        expect(res.body.errors[0].message).toMatch(/^from: /);
      },
    );

    it('a bad DateTime variable is BAD_USER_INPUT naming the variable (HTTP 400)', async () => {
      const res = await graphql('query($from: DateTime!) { funnel(from: $from, to: "2026-02-01T00:00:00Z") { definitionVersion } }', {
        from: '2018-02-30T00:00:00Z',
      });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(res.body.errors[0].message).toContain('$from');
      expect(res.body.errors[0].message).toContain('not a real calendar date');
      expect(res.body.errors[0].extensions).toMatchObject({ variable: 'from', argument: 'from' });
    });

    it('a mistyped enum variable is BAD_USER_INPUT naming the variable and the argument it feeds (HTTP 400)', async () => {
      const res = await graphql(
        'query($g: Grain!) { cohorts(from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z", target: SQL, grain: $g) { cohort } }',
        { g: 'MONTHLY' },
      );
      expect(res.status).toBe(400);
      expect(res.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', variable: 'g', argument: 'grain' });
    });

    it('parses a good DateTime exactly as ingest does', async () => {
      const res = await graphql(funnel('2026-01-01T01:00:00+01:00'));
      expect(res.status).toBe(200);
      expect(res.body.data.funnel.definitionVersion).toBe(1);
    });

    it.each([
      ['missing', 'query($g: Grain!) { cohorts(from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z", grain: $g, target: SQL) { cohort } }', {}],
      ['mistyped', 'query($g: Grain!) { cohorts(from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z", grain: $g, target: SQL) { cohort } }', { g: 'MONTHLY' }],
      ['wrongly typed', 'query($n: Int) { funnel(from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z", windowDays: $n) { definitionVersion } }', { n: 'ten' }],
    ])('a %s variable is BAD_USER_INPUT (HTTP 400)', async (_, query, variables) => {
      const res = await graphql(query, variables);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(res.body.errors[0].message).toContain('$');
    });

    it('a query over the complexity limit is QUERY_TOO_COMPLEX (HTTP 400)', async () => {
      const fields = Array.from({ length: 120 }, (_, i) => `f${i}: funnel(from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z") { definitionVersion }`);
      const res = await graphql(`{ ${fields.join(' ')} }`);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', max: 1000 });
    });

    it('a subscription is refused with a coded error (HTTP 400)', async () => {
      const res = await graphql('subscription { status { accepted } }');
      expect(res.status).toBe(400);
      expect(res.body.errors[0].extensions.code).toBe('SUBSCRIPTIONS_NOT_SUPPORTED');
    });

    const attribution = (halfLife: string) =>
      `{ attribution(from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z", model: TIME_DECAY, milestone: WON, halfLifeDays: ${halfLife}) { conversions } }`;
    const cursor = (text: string) => Buffer.from(text).toString('base64url');
    it.each([
      ['halfLifeDays', attribution('1e308'), {}],
      ['halfLifeDays', attribution('5e-324'), {}],
      ['halfLifeDays', attribution('-1'), {}],
      ['lookbackDays', '{ attribution(from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z", model: LINEAR, milestone: WON, lookbackDays: 2147483647) { conversions } }', {}],
      ['windowDays', '{ funnel(from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z", windowDays: 2147483647) { definitionVersion } }', {}],
      ['trailingDays', '{ pipelineVelocity(asOf: "2026-01-01T00:00:00Z", trailingDays: 2147483647) { openOpportunities } }', {}],
      ['after', `{ stalledOpportunities(asOf: "2026-01-01T00:00:00Z", after: "${cursor('stalled:9007199254740993')}") { totalCount } }`, {}],
      ['after', `{ stalledOpportunities(asOf: "2026-01-01T00:00:00Z", after: "${cursor('["stalled",1e999,"x"]')}") { totalCount } }`, {}],
      ['after', '{ stalledOpportunities(asOf: "2026-01-01T00:00:00Z", after: "not a cursor!") { totalCount } }', {}],
      ['id', '{ lead(id: "L\\u0000") { id } }', {}],
      // graphql-js refuses a lone surrogate escape in a literal itself; a variable carries one through.
      ['id', 'query($id: ID!) { opportunity(id: $id) { id } }', { id: 'O\ud800' }],
      ['id', 'query($id: ID!) { lead(id: $id) { id } }', { id: 'L\u0000' }],
    ])('a bad %s is BAD_USER_INPUT naming it, never a 500', async (argument: string, query: string, variables: Record<string, unknown>) => {
      // Every row has three entries: jest takes a test function with more parameters than its row for one awaiting `done`.
      const res = await graphql(query, variables);
      expect(res.status).not.toBe(500);
      expect(res.body.errors).toHaveLength(1);
      expect(res.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    });
  });

  it('the stalled list pages by keyset: a deal added between pages neither repeats nor shifts', async () => {
    const opportunity = (n: number, createdAt: string) => ({
      id: `stall-${n}`,
      type: 'OpportunityCreated',
      occurredAt: createdAt,
      data: { opportunityId: `O-stall-${n}`, amount: 1000 + n },
    });
    expect((await postEvents([1, 2, 3, 4, 5].map((n) => opportunity(n, `2025-06-0${n}T00:00:00Z`)))).status).toBe(202);
    await caughtUp(60_000);
    const q = `query($after: String) { stalledOpportunities(asOf: "2026-01-01T00:00:00Z", first: 2, after: $after) {
      totalCount edges { node { id } } pageInfo { hasNextPage hasPreviousPage endCursor } } }`;
    const page = async (after?: string) => {
      const res = await graphql(q, { after });
      expect(res.body.errors).toBeUndefined();
      return res.body.data.stalledOpportunities;
    };
    const first = await page();
    expect(first.edges.map((e: any) => e.node.id)).toEqual(['O-stall-1', 'O-stall-2']);

    // Longer in stage than every deal above, so it sorts first: an offset cursor would show O-stall-2 again.
    expect((await postEvents([opportunity(0, '2025-05-01T00:00:00Z')])).status).toBe(202);
    await caughtUp(60_000);
    const second = await page(first.pageInfo.endCursor);
    expect(second.edges.map((e: any) => e.node.id)).toEqual(['O-stall-3', 'O-stall-4']);
    expect(second.totalCount).toBe(6);
    expect(second.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const third = await page(second.pageInfo.endCursor);
    expect(third.edges.map((e: any) => e.node.id)).toEqual(['O-stall-5']);
    expect(third.pageInfo.hasNextPage).toBe(false);
    expect((await page(third.pageInfo.endCursor)).edges).toEqual([]);
  }, 180_000);

  it('status agrees with every response of this file', async () => {
    await expectEventually(async () => {
      const s = await status();
      expect(s.accepted).toBe(acceptedSoFar);
      for (const p of s.projections) expect(p).toMatchObject({ lag: 0, deadLetters: 0 });
    }, 60_000);
  });
});
