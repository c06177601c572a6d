import { loadConfig } from '@funnel/config';
import { ingestAll, OLIST, olistDay, olistEvents, olistWonAt, readOlist } from '@funnel/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStandalone, type StandaloneApp } from '../apps/standalone/src/standalone.app';

/**
 * The real Olist marketing funnel (8,000 MQLs, 842 closed deals), read from ../shared/data as
 * a user would import it: each MQL = LeadCaptured + LeadStageChanged MQL at first_contact_date
 * with channel = origin; each deal = OpportunityCreated + OpportunityWon at won_date linked to
 * the lead. Expected figures are computed here straight from the CSV, not by the product.
 */
const day = olistDay;
const wonAt = olistWonAt;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = (s.length - 1) / 2;
  return (s[Math.floor(mid)] + s[Math.ceil(mid)]) / 2;
}

describe('Olist marketing funnel through the embedded server', () => {
  let app: StandaloneApp;
  let dataDir: string | undefined;
  afterAll(async () => {
    await app?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  OLIST.it('reports MQLs and wins per origin and the median days to win', async () => {
    const rows = readOlist();
    const { mqls, deals } = rows;
    expect([mqls.length, deals.length]).toEqual([8000, 842]);
    dataDir = mkdtempSync(join(tmpdir(), 'funnel-olist-'));
    app = await startStandalone(loadConfig({ SLA_CHECK_SECONDS: '0', PORT: '0', DATA_DIR: dataDir }));
    await ingestAll(app.url, olistEvents(rows));

    // Expected, straight from the CSV.
    const origin = new Map(mqls.map((m) => [m.mql_id, m.origin === '' ? '(none)' : m.origin]));
    const contact = new Map(mqls.map((m) => [m.mql_id, Date.parse(day(m.first_contact_date))]));
    const mqlsByOrigin = new Map<string, number>();
    for (const o of origin.values()) mqlsByOrigin.set(o, (mqlsByOrigin.get(o) ?? 0) + 1);
    const winsByOrigin = new Map<string, number>();
    for (const d of deals) winsByOrigin.set(origin.get(d.mql_id)!, (winsByOrigin.get(origin.get(d.mql_id)!) ?? 0) + 1);
    const daysToWin = deals.map((d) => (Date.parse(wonAt(d.won_date)) - contact.get(d.mql_id)!) / 86_400_000);
    expect(Math.min(...daysToWin)).toBeLessThan(0); // the deal won two days before first contact is kept

    const res = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `{
          funnel(from: "2017-01-01T00:00:00Z", to: "2019-01-01T00:00:00Z", anchor: MQL, breakdown: CHANNEL) { groups { key stages { stage reached } } }
          velocity(from: "2017-01-01T00:00:00Z", to: "2019-01-01T00:00:00Z", fromStage: MQL, toStage: WON) { count p50Days }
        }`,
      }),
    });
    const { data }: any = await res.json();
    const reported = new Map<string, { MQL: number; WON: number }>(
      data.funnel.groups.map((g: any) => [g.key, Object.fromEntries(g.stages.map((s: any) => [s.stage, s.reached]))]),
    );
    expect([...reported.keys()].sort()).toEqual([...mqlsByOrigin.keys()].sort());
    for (const [key, n] of mqlsByOrigin) {
      expect({ key, mqls: reported.get(key)!.MQL, wins: reported.get(key)!.WON }).toEqual({ key, mqls: n, wins: winsByOrigin.get(key) ?? 0 });
    }
    expect(data.velocity).toHaveLength(1);
    expect(data.velocity[0].count).toBe(842);
    expect(data.velocity[0].p50Days).toBeCloseTo(median(daysToWin), 9);
    // 17,684 events through ingest and both projections: about a minute on 2 busy cores.
  }, 240_000);
});
