import { loadConfig } from '@funnel/config';
import { expectEventually } from '@funnel/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStandalone, type StandaloneApp } from '../apps/standalone/src/standalone.app';
import { WHOLE_HISTORY, generateFacts, sizeAt } from '../bench/generate';

/**
 * Issue 12's quality of service for GraphQL reports on the embedded server, over the bench
 * generator's history: measured costs against the complexity limit, the per-key queue (429 +
 * Retry-After), the timeout that ClickHouse itself enforces, and the cheap lane.
 */
describe('report scheduling on the embedded server', () => {
  let app: StandaloneApp;
  const dataDir = mkdtempSync(join(tmpdir(), 'funnel-qos-'));
  const period = `from: "${WHOLE_HISTORY.from}", to: "${WHOLE_HISTORY.to}"`;
  /** Of the expensive lane per its measured cost (REPORT_COSTS), and its time is ClickHouse's. */
  const expensive = `{ campaignPerformance(${period}) { campaignId } }`;
  const cheap = `{ funnel(${period}) { definitionVersion } }`;

  const start = async (env: Record<string, string>) => {
    app = await startStandalone(loadConfig({ SLA_CHECK_SECONDS: '0', PORT: '0', DATA_DIR: dataDir, ...env }));
  };
  beforeAll(async () => {
    await start({ REPORT_LANE_CONCURRENCY: '1' });
    await generateFacts(app.runtime.clickhouse!, sizeAt(0.03));
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Queries ClickHouse is running now (but this one), in any session of the process. */
  const runningQueries = () => app.runtime.clickhouse!.query(`SELECT query FROM system.processes WHERE query NOT LIKE '%system.processes%'`);

  async function graphql(query: string): Promise<{ status: number; headers: Headers; body: any }> {
    const res = await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    return { status: res.status, headers: res.headers, body: await res.json() };
  }

  it('38 campaignPerformance in one request cost more than the limit: QUERY_TOO_COMPLEX, HTTP 400', async () => {
    const fields = Array.from({ length: 38 }, (_, i) => `c${i}: campaignPerformance(${period}) { campaignId }`);
    const res = await graphql(`{ ${fields.join(' ')} }`);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', max: 1000 });
    // As many plain funnels cost what they measure: well under the limit.
    const funnels = await graphql(`{ ${Array.from({ length: 38 }, (_, i) => `f${i}: funnel(${period}) { definitionVersion }`).join(' ')} }`);
    expect(funnels.status).toBe(200);
    expect(funnels.body.errors).toBeUndefined();
  });

  it('a cheap report started after several expensive ones finishes before those waiting', async () => {
    const finished: string[] = [];
    const run = (name: string, query: string) =>
      graphql(query).then((res) => {
        expect(res.body.errors).toBeUndefined();
        finished.push(name);
      });
    const slow = ['e1', 'e2', 'e3'].map((name) => run(name, expensive));
    // The first expensive one runs in ClickHouse (the other two wait their lane) before the cheap one is sent.
    await expectEventually(async () => expect(await runningQueries()).not.toEqual([]), 5000, 2);
    await Promise.all([...slow, run('cheap', cheap)]);
    // Embedded chdb runs one parameterized query at a time per process (chdb serializes them:
    // its parameter state is not per connection), so the cheap report may wait for the query
    // running now (and, on a loaded machine, the next one's, should it start while the cheap
    // report still reads its definition), but never for all the expensive reports queued before it.
    expect(finished).toHaveLength(4);
    expect(finished.indexOf('cheap')).toBeLessThan(3);
  });

  it('more reports of one key than run plus wait: TOO_MANY_REQUESTS, HTTP 429 with Retry-After', async () => {
    await app.close();
    await start({ REPORT_CONCURRENCY_PER_KEY: '4', REPORT_QUEUE_PER_KEY: '2' });
    // Seven reports in one request: four run, two wait, the seventh is refused.
    const fields = Array.from({ length: 7 }, (_, i) => `f${i}: funnel(${period}) { definitionVersion }`);
    const res = await graphql(`{ ${fields.join(' ')} }`);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors[0].extensions).toMatchObject({ code: 'TOO_MANY_REQUESTS', concurrencyPerKey: 4, queuePerKey: 2 });
    expect(res.body.errors[0].extensions.http).toBeUndefined();
  });

  it('a report over REPORT_TIMEOUT_MS answers QUERY_TIMEOUT and ClickHouse cancels its query', async () => {
    await app.close();
    await start({ REPORT_TIMEOUT_MS: '20' });
    const res = await graphql(expensive);
    expect(res.body.errors[0].extensions).toMatchObject({ code: 'QUERY_TIMEOUT', timeoutMs: 20 });
    expect(res.body.errors[0].message).toContain('REPORT_TIMEOUT_MS=20');
    expect(res.status).toBe(504);
    // Cancelled in ClickHouse, not merely abandoned: the answer is ClickHouse's own cancellation
    // (the wall-clock backstop would answer only 5 s later), so nothing of the report runs on; a
    // query of it started beside the cancelled one stops at its own 20 ms.
    await expectEventually(async () => expect(await runningQueries()).toEqual([]), 2_000);
  });
});
