import type { ClickHouse } from '@funnel/clickhouse';
import type { AttributionRow } from '@funnel/reporting';
import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
// The machine's PostgreSQL server, as the tests use it (TEST_DATABASE_URL overrides it).
import { TEST_DATABASE_URL } from '../libs/testing/src/test-databases';
import { REFERENCE_SQL, type Period } from './reference';
import { progress } from './common';


/** The facts the PostgreSQL attribution reads, with the ClickHouse columns they come from. */
const TABLES: Record<string, { columns: Record<string, string> }> = {
  lead_captures: { columns: { event_id: 'text', lead_id: 'text', occurred_at: 'timestamptz', campaign_id: 'text' } },
  touches: { columns: { event_id: 'text', lead_id: 'text', occurred_at: 'timestamptz', campaign_id: 'text', from_capture: 'smallint' } },
  lead_stage_entries: { columns: { event_id: 'text', lead_id: 'text', occurred_at: 'timestamptz', stage: 'text' } },
  lead_links: { columns: { event_id: 'text', lead_id: 'text', opportunity_id: 'text', occurred_at: 'timestamptz', via: 'text' } },
  opportunity_events: { columns: { event_id: 'text', opportunity_id: 'text', occurred_at: 'timestamptz', type: 'text', amount: 'float8' } },
};
// What a careful PostgreSQL user would index for this report.
const INDEXES = [
  'CREATE INDEX ON touches (lead_id, occurred_at)',
  'CREATE INDEX ON lead_captures (lead_id)',
  'CREATE INDEX ON lead_stage_entries (lead_id)',
  'CREATE INDEX ON lead_links (opportunity_id)',
  'CREATE INDEX ON lead_links (lead_id)',
  'CREATE INDEX ON opportunity_events (opportunity_id, type, occurred_at)',
];
const CHUNK_ROWS = 100_000;

export interface PostgresFacts {
  readonly rows: number;
  readonly loadMs: number;
  attribution(p: Period): Promise<AttributionRow[]>;
  close(): Promise<void>;
}

/**
 * Copies the facts (duplicates included) from ClickHouse into a schema of its own on the
 * PostgreSQL server, in batches of unnest() arrays, and indexes them; close() drops the schema.
 */
export async function loadPostgres(ch: ClickHouse): Promise<PostgresFacts> {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const pool = new Pool({ connectionString: TEST_DATABASE_URL, max: 2, options: `-c search_path=${schema} -c timezone=UTC` });
  const t0 = performance.now();
  let rows = 0;
  try {
    await pool.query(`CREATE SCHEMA ${schema}`);
    for (const [table, { columns }] of Object.entries(TABLES)) {
      const names = Object.keys(columns);
      await pool.query(`CREATE TABLE ${table} (${names.map((c) => `${c} ${columns[c]}`).join(', ')})`);
      const [{ n }] = await ch.query<{ n: string }>(`SELECT count() AS n FROM ${table}`);
      const total = Number(n);
      const parts = Math.max(1, Math.ceil(total / CHUNK_ROWS));
      const tick = progress(`PostgreSQL ${table}`, total);
      let done = 0;
      for (let part = 0; part < parts; part++) {
        const key = 'lead_id' in columns ? 'lead_id' : 'opportunity_id';
        const batch = await ch.query<Record<string, unknown>>(
          `SELECT ${names.join(', ')} FROM ${table} WHERE cityHash64(event_id, ${key}) % {parts:UInt64} = {part:UInt64}`,
          { parts, part },
        );
        const arrays = names.map((c) => batch.map((r) => (c === 'occurred_at' ? `${r[c] as string}Z` : r[c])));
        await pool.query(
          `INSERT INTO ${table} (${names.join(', ')}) SELECT * FROM unnest(${names.map((c, i) => `$${i + 1}::${columns[c]}[]`).join(', ')})`,
          arrays,
        );
        done += batch.length;
        tick(done);
      }
      rows += done;
    }
    for (const sql of INDEXES) await pool.query(sql);
    await pool.query('ANALYZE');
  } catch (e) {
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await pool.end();
    throw e;
  }
  return {
    rows,
    loadMs: performance.now() - t0,
    async attribution(p) {
      const { rows: out } = await pool.query<AttributionRow>(REFERENCE_SQL.attributionPostgres, [p.from, p.to, 365]);
      return out.map((r) => ({ key: r.key, credit: Number(r.credit), value: Number(r.value) }));
    },
    async close() {
      await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await pool.end();
    },
  };
}
