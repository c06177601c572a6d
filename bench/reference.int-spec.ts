import { EmbeddedClickHouse } from '@funnel/clickhouse';
import { insertFacts, migrateFacts } from '@funnel/facts';
import { runAttribution, runFunnel } from '@funnel/reporting';
import { generateFunnelEvents } from '@funnel/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateFacts, LAST_30_DAYS, sizeAt, WHOLE_HISTORY } from './generate';
import { loadPostgres } from './postgres';
import { attributionDiff, attributionParams, funnelDiff, funnelParams, referenceAttribution, referenceFunnel, type Period } from './reference';

/**
 * The bench's hand-written reference queries (bench/reference/) give the product's answers, so
 * `npm run bench` compares like with like: on the bench's generated history (ClickHouse and
 * PostgreSQL), and on the test generator's event stream written through insertFacts.
 */
describe('bench reference queries', () => {
  const dir = mkdtempSync(join(tmpdir(), 'funnel-bench-ref-'));
  let generated: EmbeddedClickHouse;
  let projected: EmbeddedClickHouse;

  beforeAll(async () => {
    generated = await EmbeddedClickHouse.open(dir, { database: 'generated' });
    await migrateFacts(generated);
    await generateFacts(generated, sizeAt(0.002));
    projected = await EmbeddedClickHouse.open(dir, { database: 'projected' });
    await migrateFacts(projected);
    await insertFacts(projected, generateFunnelEvents({ leads: 400, seed: 7, start: '2025-06-01T00:00:00.000Z' }));
  }, 120_000);
  afterAll(async () => {
    await generated?.close();
    await projected?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const periods: Record<string, Period> = {
    'the whole history': WHOLE_HISTORY,
    'the last 30 days': LAST_30_DAYS,
    'a year of the event stream': { from: '2025-06-01T00:00:00.000Z', to: '2026-06-01T00:00:00.000Z' },
  };

  it.each(Object.keys(periods))('attribution W_SHAPED WON by CAMPAIGN over %s', async (name) => {
    for (const ch of [generated, projected]) {
      const product = await runAttribution(ch, attributionParams(periods[name]));
      expect(attributionDiff(product, await referenceAttribution(ch, periods[name]))).toEqual([]);
    }
  });

  it.each(Object.keys(periods))('funnel by CAMPAIGN over %s', async (name) => {
    for (const ch of [generated, projected]) {
      const product = await runFunnel(ch, funnelParams(periods[name]));
      expect(funnelDiff(product, await referenceFunnel(ch, periods[name]))).toEqual([]);
    }
  });

  it('has conversions and funnel groups to compare (the data is not trivially empty)', async () => {
    const report = await runAttribution(generated, attributionParams(WHOLE_HISTORY));
    expect(report.conversions).toBeGreaterThan(10);
    expect(report.rows.length).toBeGreaterThan(10);
    const year = periods['a year of the event stream'];
    expect((await runAttribution(projected, attributionParams(year))).conversions).toBeGreaterThan(0);
    expect((await runFunnel(projected, funnelParams(year))).length).toBeGreaterThan(1);
  });

  it('the PostgreSQL attribution gives the product answer on the generated history', async () => {
    const pg = await loadPostgres(generated);
    try {
      for (const period of [WHOLE_HISTORY, LAST_30_DAYS]) {
        const product = await runAttribution(generated, attributionParams(period));
        expect(attributionDiff(product, await pg.attribution(period))).toEqual([]);
      }
    } finally {
      await pg.close();
    }
  });
});
