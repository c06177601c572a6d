import { EmbeddedClickHouse, migrateClickHouse, type ClickHouse } from '@funnel/clickhouse';
import { DIMENSIONS, FUNNEL_STAGES } from '@funnel/domain';
import { FACT_MIGRATIONS_DIR, FACT_TABLES, insertFacts, migrateFacts } from '@funnel/facts';
import { expectClose, generateFunnelEvents, parityPeriod as period, shuffled } from '@funnel/testing';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attributionReport } from './attribution/attribution.reference';
import { runAttribution } from './attribution/attribution.sql';
import { funnelReport } from './funnel/funnel.reference';
import { runFunnel } from './funnel/funnel.sql';


/** Rows per fact table once duplicates are gone (the copy may already have dropped them: inserts apply the engine's merge). */
async function rowCounts(ch: ClickHouse): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of FACT_TABLES) out[t] = (await ch.query<{ n: string }>(`SELECT count() AS n FROM ${t} FINAL`))[0].n;
  return out;
}

/**
 * The state migrations on a data directory that holds an older schema and its facts (an existing
 * installation): 002 rebuilds the fact tables in their new order and the per-subject state from
 * them, 004 re-encodes lead_state's source states; the reports then give the reference's
 * answers, for the facts already there and for those inserted afterwards (through the
 * materialized views), duplicates included.
 */
describe.each([
  // 003 always: insertFacts reads the retracted ids (migration 003 does not depend on 002).
  { existing: ['001_facts.sql', '003_retractions.sql'], applies: ['002_subject_state.sql', '004_string_states.sql'] },
  { existing: ['001_facts.sql', '002_subject_state.sql', '003_retractions.sql'], applies: ['004_string_states.sql'] },
])('migrations $applies on an existing database of $existing', ({ existing, applies }) => {
  jest.setTimeout(300_000);
  const dir = mkdtempSync(join(tmpdir(), 'funnel-migrate-state-'));
  const older = mkdtempSync(join(tmpdir(), 'funnel-migrations-older-'));
  let ch: ClickHouse;

  beforeAll(async () => {
    for (const file of existing) copyFileSync(join(FACT_MIGRATIONS_DIR, file), join(older, file));
    ch = await EmbeddedClickHouse.open(dir);
  });
  afterAll(async () => {
    await ch?.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(older, { recursive: true, force: true });
  });

  it('keeps every fact row, sorts facts by subject and time, and the reports keep their answers', async () => {
    const events = generateFunnelEvents({ leads: 60, seed: 11, prefix: 'm' });
    const before = events.slice(0, Math.floor(events.length * 0.6));
    const after = events.slice(before.length);
    // Before: an older database with a third of its events delivered twice, in separate inserts.
    expect(await migrateClickHouse(ch, older)).toEqual(existing);
    for (const batch of [before, before.slice(0, Math.floor(before.length / 3))]) await insertFacts(ch, shuffled(batch, 3));
    const counts = await rowCounts(ch);

    expect(await migrateFacts(ch)).toEqual(applies);
    expect(await rowCounts(ch)).toEqual(counts);
    const keys = await ch.query<{ name: string; sorting_key: string }>(
      `SELECT name, sorting_key FROM system.tables WHERE database = currentDatabase() AND name IN ('touches', 'opportunity_events') ORDER BY name`,
    );
    expect(keys).toEqual([
      { name: 'opportunity_events', sorting_key: 'opportunity_id, occurred_at, event_id' },
      { name: 'touches', sorting_key: 'lead_id, occurred_at, event_id' },
    ]);

    const expectReportsOf = async (delivered: typeof events) => {
      for (const breakdown of [undefined, ...DIMENSIONS]) {
        for (const anchor of [FUNNEL_STAGES[0], 'MQL'] as const) {
          const q = { ...period, anchor, breakdown, windowDays: anchor === 'MQL' ? 10 : undefined };
          expect({ q, groups: await runFunnel(ch, q) }).toEqual({ q, groups: funnelReport(delivered, q) });
        }
      }
      for (const milestone of ['LEAD_CREATED', 'OPPORTUNITY_CREATED', 'WON'] as const) {
        const q = { ...period, model: 'W_SHAPED', milestone, by: 'CAMPAIGN', lookbackDays: 30, halfLifeDays: 7 } as const;
        expectClose(await runAttribution(ch, q), attributionReport(delivered, q));
      }
    };
    await expectReportsOf(before);

    // After: new events (and redeliveries of old ones) reach the state through the views.
    await insertFacts(ch, shuffled([...after, ...before.slice(0, 20)], 4));
    await expectReportsOf(events);
    expect(await migrateFacts(ch)).toEqual([]);
  });
});
