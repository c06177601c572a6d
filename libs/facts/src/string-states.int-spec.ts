import { EmbeddedClickHouse, type ClickHouse } from '@funnel/clickhouse';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FACT_MIGRATIONS_DIR } from './fact-store';

const MIGRATION = readFileSync(join(FACT_MIGRATIONS_DIR, '004_string_states.sql'), 'utf8');

/** The one order key expression of migration 004 (every view of it uses the same). */
function orderKeyExpression(): string {
  const found = new Set([...MIGRATION.matchAll(/^WITH (.*) AS ord$/gm)].map((m) => m[1]));
  expect(found.size).toBe(1);
  return [...found][0];
}

/**
 * Migration 004's String states pick the same event as argMin/argMax over (occurred_at,
 * event_id): its order key sorts as that tuple does, before 1970 too, on equal times and on ids
 * that are prefixes of one another.
 */
describe("migration 004's order key", () => {
  const dir = mkdtempSync(join(tmpdir(), 'funnel-order-key-'));
  let ch: ClickHouse;
  beforeAll(async () => {
    ch = await EmbeddedClickHouse.open(dir);
  });
  afterAll(async () => {
    await ch?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sorts as (occurred_at, event_id)', async () => {
    const ord = orderKeyExpression();
    // DateTime64(3)'s range, 1900 to 2299, and a few times shared by several events.
    const time = fc.oneof(fc.integer({ min: -2_208_988_800_000, max: 10_413_791_999_999 }), fc.constantFrom(-1, 0, 1, 1_700_000_000_000));
    const id = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('a', 'ab', 'a0', 'b', 'é', 'Z'));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(time, id), { minLength: 2, maxLength: 40 }), async (events) => {
        const key = ord.replace(/\boccurred_at\b/g, 'e.1').replace(/\bevent_id\b/g, 'e.2');
        const shown = "arrayMap(e -> concat(toString(toUnixTimestamp64Milli(e.1)), '|', e.2)";
        const rows = await ch.query<{ byTuple: string[]; byKey: string[] }>(
          `WITH arrayMap(i -> (fromUnixTimestamp64Milli({ms:Array(Int64)}[i], 'UTC'), {ids:Array(String)}[i]), arrayEnumerate({ms:Array(Int64)})) AS es
           SELECT ${shown}, arraySort(e -> (e.1, e.2), es)) AS byTuple, ${shown}, arraySort(e -> ${key}, es)) AS byKey`,
          { ms: events.map(([t]) => String(t)), ids: events.map(([, i]) => i) },
        );
        expect(rows[0].byTuple).toHaveLength(events.length);
        expect(rows[0].byKey).toEqual(rows[0].byTuple);
      }),
      { numRuns: 60 },
    );
  });
});
