import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChdbHttpServer, type ChdbHttpServer } from '@funnel/testing';
import type { ClickHouse } from './clickhouse.port';
import { migrateClickHouse } from './clickhouse-migrations';
import { ClickHouseQueryError } from './clickhouse-query.error';
import { createClickHouse } from './create-clickhouse';

// chdb holds one data directory per process: the embedded adapter opens it and the HTTP server
// that the server adapter talks to serves the same one.
const dataDir = mkdtempSync(join(tmpdir(), 'clickhouse-int-'));
let http: ChdbHttpServer;

beforeAll(async () => {
  http = await startChdbHttpServer({ dataDir: join(dataDir, 'clickhouse') });
});

afterAll(async () => {
  await http.close();
  rmSync(dataDir, { recursive: true, force: true });
});

type Target = [label: string, open: (database?: string) => Promise<ClickHouse>];

const targets: Target[] = [
  ['embedded chdb', (database) => createClickHouse({ dataDir, database })],
  ['server adapter over chdb HTTP', (database) => createClickHouse({ url: http.url, dataDir, database })],
];
const serverUrl = process.env.CLICKHOUSE_URL;
if (serverUrl) targets.push(['ClickHouse server at CLICKHOUSE_URL', (database) => createClickHouse({ url: serverUrl, dataDir, database })]);

const FACTS_COLUMNS = `(
  event_id String,
  lead_id String,
  campaign_id Nullable(String),
  channels Array(String),
  amount Float64,
  occurred_at DateTime64(3, 'UTC')
) ENGINE = ReplacingMergeTree ORDER BY event_id`;

const T0 = Date.parse('2026-03-02T10:15:00.000Z');

function fact(i: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event_id: `e${i}`,
    lead_id: `L${i % 3}`,
    campaign_id: i % 2 === 0 ? null : 'C1',
    channels: ['ads', i % 2 === 0 ? 'web' : 'email'],
    amount: i * 1.5,
    occurred_at: new Date(T0 + i * 60_000),
    ...overrides,
  };
}

describe.each(targets)('ClickHouse port on %s', (_label, open) => {
  const database = `funnel_it_${randomBytes(4).toString('hex')}`;
  let ch: ClickHouse;

  beforeAll(async () => {
    ch = await open(database);
  });

  afterAll(async () => {
    await ch.command(`DROP DATABASE IF EXISTS ${database}`);
    await ch.close();
  });

  it('creates its database and resolves unqualified names there', async () => {
    expect(await ch.query('SELECT currentDatabase() AS db')).toEqual([{ db: database }]);
    await ch.command('CREATE TABLE unqualified (id String) ENGINE = MergeTree ORDER BY id');
    expect(await ch.query('SELECT name FROM system.tables WHERE database = {db:String}', { db: database })).toEqual([
      { name: 'unqualified' },
    ]);
  });

  it('binds String, DateTime64, Float64, UInt64, Array(String) and Nullable(String) params', async () => {
    const tricky = 'it\'s a \\ "quote",\ttab\nnewline [x] {y:String}';
    const sql = `SELECT {s:String} AS s, {t:DateTime64(3, 'UTC')} AS t, {f:Float64} AS f, {big:UInt64} AS big,
      {a:Array(String)} AS a, {n:Nullable(String)} AS n`;
    const expected = {
      s: tricky,
      t: '2026-03-02 10:15:00.123',
      f: 0.1,
      big: '18446744073709551615',
      a: [tricky, ''],
      n: null,
    };
    const params = { s: tricky, f: 0.1, big: 18446744073709551615n, a: [tricky, ''], n: null };
    for (const t of [new Date('2026-03-02T10:15:00.123Z'), '2026-03-02T10:15:00.123Z', '2026-03-02T11:15:00.123+01:00', '2026-03-02 10:15:00.123']) {
      expect(await ch.query(sql, { ...params, t })).toEqual([expected]);
    }
  });

  it('binds integral Float64 values beyond 2^53, alone and in an Array, exactly', async () => {
    const huge = 2 ** 53 + 2;
    const rows = await ch.query<{ f: number; a: number[] }>('SELECT {f:Float64} AS f, {a:Array(Float64)} AS a', { f: huge, a: [1, huge, -huge] });
    expect(rows).toEqual([{ f: huge, a: [1, huge, -huge] }]);
  });

  it('keeps instants of Date and ISO-8601 values in inserted rows and in Array(DateTime64) params', async () => {
    await ch.command(`CREATE TABLE instants (id String, at DateTime64(3, 'UTC')) ENGINE = MergeTree ORDER BY id`);
    await ch.insert('instants', [
      { id: 'date', at: new Date('2026-03-02T10:15:00.250Z') },
      { id: 'iso', at: '2026-03-02T10:15:00.250Z' },
      { id: 'offset', at: '2026-03-02T12:15:00.250+02:00' },
    ]);
    const rows = await ch.query('SELECT id FROM instants WHERE has({ats:Array(DateTime64(3, \'UTC\'))}, at) ORDER BY id', {
      ats: [new Date('2026-03-02T10:15:00.250Z')],
    });
    expect(rows).toEqual([{ id: 'date' }, { id: 'iso' }, { id: 'offset' }]);
  });

  describe('a ReplacingMergeTree keyed by event_id', () => {
    beforeAll(async () => {
      await ch.command(`CREATE TABLE facts ${FACTS_COLUMNS}`);
      // Merges would hide the duplicates this test is about.
      await ch.command('SYSTEM STOP MERGES facts');
      await ch.insert('facts', [0, 1, 2, 3, 4, 5].map((i) => fact(i)));
      // e3..e5 redelivered in a second part, e5 with another payload.
      await ch.insert('facts', [fact(3), fact(4), fact(5, { amount: 99 })]);
    });

    it('holds the duplicates until a merge', async () => {
      expect(await ch.query('SELECT count() AS rows FROM facts')).toEqual([{ rows: '9' }]);
    });

    it('counts each event once with uniqExact and FINAL, returning 64-bit counts as strings', async () => {
      expect(await ch.query('SELECT uniqExact(event_id) AS events FROM facts')).toEqual([{ events: '6' }]);
      expect(await ch.query('SELECT count() AS rows, sum(amount) AS amount FROM facts FINAL')).toEqual([
        { rows: '6', amount: 0 + 1.5 + 3 + 4.5 + 6 + 99 },
      ]);
    });

    it('filters on bound params', async () => {
      const rows = await ch.query(
        `SELECT event_id FROM facts FINAL
         WHERE lead_id IN {leads:Array(String)}
           AND occurred_at >= {from:DateTime64(3, 'UTC')} AND occurred_at < {to:DateTime64(3, 'UTC')}
           AND amount >= {min:Float64}
           AND ifNull(campaign_id, '(none)') = ifNull({campaign:Nullable(String)}, '(none)')
           AND has(channels, {channel:String})
         ORDER BY event_id`,
        {
          leads: ['L0', 'L1'],
          from: new Date(T0),
          to: '2026-03-02T10:20:00.000Z',
          min: 0,
          campaign: null,
          channel: 'web',
        },
      );
      // e0..e4 are in the window; L0/L1 leaves e0, e1, e3, e4; no campaign leaves the even ones.
      expect(rows).toEqual([{ event_id: 'e0' }, { event_id: 'e4' }]);
    });

    it('answers concurrent parameterised queries each with its own params', async () => {
      const answers = await Promise.all(
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) =>
          ch.query<{ events: string }>('SELECT uniqExact(event_id) AS events FROM facts WHERE event_id = {id:String}', {
            id: `e${i}`,
          }),
        ),
      );
      expect(answers.map(([row]) => row.events)).toEqual(['1', '1', '1', '1', '1', '1', '0', '0', '0', '0']);
    });
  });

  it('rejects with ClickHouse error code, type and message', async () => {
    const missing = ch.command('SELECT * FROM no_such_table');
    await expect(missing).rejects.toBeInstanceOf(ClickHouseQueryError);
    await expect(missing).rejects.toMatchObject({ code: 60, type: 'UNKNOWN_TABLE', message: expect.stringContaining('no_such_table') });
    await expect(ch.query('SELEC 1')).rejects.toMatchObject({ code: 62, type: 'SYNTAX_ERROR' });
    await expect(ch.insert('no_such_table', [{ id: 'x' }])).rejects.toMatchObject({ code: 60, type: 'UNKNOWN_TABLE' });
    const unparsable = ch.query(`SELECT {d:DateTime64(3, 'UTC')} AS d`, { d: 'not a date' });
    await expect(unparsable).rejects.toBeInstanceOf(ClickHouseQueryError);
    await expect(unparsable).rejects.toThrow('not a date');
  });

  it('treats an empty insert as a no-op', async () => {
    await expect(ch.insert('no_such_table', [])).resolves.toBeUndefined();
  });

  it('inserts 10,000 rows in one call', async () => {
    await ch.command(`CREATE TABLE bulk ${FACTS_COLUMNS}`);
    await ch.insert('bulk', Array.from({ length: 10_000 }, (_, i) => fact(i)));
    expect(await ch.query('SELECT count() AS rows, uniqExact(event_id) AS events, max(occurred_at) AS last FROM bulk')).toEqual([
      { rows: '10000', events: '10000', last: '2026-03-09 08:54:00.000' },
    ]);
  });

  describe('migrations', () => {
    const dir = mkdtempSync(join(tmpdir(), 'clickhouse-migrations-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('apply each file once, in order, and are idempotent', async () => {
      writeFileSync(
        join(dir, '001_leads.sql'),
        `-- Plain MergeTree: running this file twice would double the rows;
CREATE TABLE IF NOT EXISTS m_leads (id String, note String DEFAULT 'a;b') ENGINE = MergeTree ORDER BY id;

INSERT INTO m_leads (id) VALUES ('L1'), ('L2');
-- trailing comment
`,
      );
      writeFileSync(join(dir, '002_touches.sql'), 'CREATE TABLE IF NOT EXISTS m_touches (id String) ENGINE = MergeTree ORDER BY id\n');
      writeFileSync(join(dir, 'README.md'), 'not a migration');

      expect(await migrateClickHouse(ch, dir)).toEqual(['001_leads.sql', '002_touches.sql']);
      expect(await migrateClickHouse(ch, dir)).toEqual([]);

      writeFileSync(join(dir, '003_more.sql'), 'ALTER TABLE m_touches ADD COLUMN IF NOT EXISTS lead_id String;');
      expect(await migrateClickHouse(ch, dir)).toEqual(['003_more.sql']);
      expect(await migrateClickHouse(ch, dir)).toEqual([]);

      expect(await ch.query('SELECT id, note FROM m_leads ORDER BY id')).toEqual([
        { id: 'L1', note: 'a;b' },
        { id: 'L2', note: 'a;b' },
      ]);
      expect(await ch.query('SELECT name FROM schema_migrations FINAL ORDER BY name')).toEqual([
        { name: '001_leads.sql' },
        { name: '002_touches.sql' },
        { name: '003_more.sql' },
      ]);
    });

    it('refuse a .sql file not named NNN_name.sql', async () => {
      const bad = mkdtempSync(join(tmpdir(), 'clickhouse-migrations-'));
      writeFileSync(join(bad, '1_oops.sql'), 'SELECT 1');
      await expect(migrateClickHouse(ch, bad)).rejects.toThrow('1_oops.sql');
      rmSync(bad, { recursive: true, force: true });
    });
  });
});

describe('database choice', () => {
  it('is funnel by default and may come from the server URL path', async () => {
    const cases: Array<[() => Promise<ClickHouse>, string]> = [
      [() => createClickHouse({ dataDir }), 'funnel'],
      [() => createClickHouse({ url: http.url, dataDir }), 'funnel'],
      [() => createClickHouse({ url: `${http.url}/from_url`, dataDir }), 'from_url'],
    ];
    for (const [open, database] of cases) {
      const ch = await open();
      expect(await ch.query('SELECT currentDatabase() AS db')).toEqual([{ db: database }]);
      await ch.close();
    }
  });
});

// The chdb HTTP shim takes no per-request settings, so only the adapters that talk to a real engine.
describe.each(targets.filter(([label]) => label !== 'server adapter over chdb HTTP'))('%s: withSettings', (_label, open) => {
  it('runs every query with the settings, on a connection of its own', async () => {
    const ch = await open();
    const bounded = await ch.withSettings({ max_execution_time: 0.05 });
    try {
      const slow = 'SELECT count() FROM numbers(10000000000) WHERE sipHash64(number) % 7 = {r:UInt8}';
      const error = await bounded.query(slow, { r: 1 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ClickHouseQueryError);
      expect(error).toMatchObject({ code: 159, type: 'TIMEOUT_EXCEEDED' });
      // The connection it came from keeps its own settings.
      expect(await ch.query('SELECT getSetting({name:String}) AS v', { name: 'max_execution_time' })).toEqual([{ v: 0 }]);
      expect(await bounded.query('SELECT getSetting({name:String}) AS v', { name: 'max_execution_time' })).toEqual([{ v: 0.05 }]);
    } finally {
      await bounded.close();
      await ch.close();
    }
  });
});

// The embedded adapter inlines parameters (chdb runs bound queries one at a time per process);
// the server adapter binds them. Both must mean the same values, whatever the value.
describe('inlined parameters (embedded) and bound ones (server adapter)', () => {
  const text = fc.string({ unit: fc.constantFrom('a', "'", '\\', '"', '\t', '\n', '{', '}', ':', 'é', '😀', ' ', '0', 'x', '\u0001') });
  // From 2001-09-09 on, epoch seconds have 10 digits: the bound path (chdb's parser) reads a
  // shorter one for DateTime('UTC') as no date at all, a limit of binding that inlining lacks.
  const instant = fc.date({ min: new Date('2001-09-10T00:00:00.000Z'), max: new Date('2299-12-31T23:59:59.999Z'), noInvalidDate: true });
  const narrowInstant = fc.date({ min: new Date('2001-09-10T00:00:00.000Z'), max: new Date('2106-02-07T06:28:15.000Z'), noInvalidDate: true });
  const SQL = `SELECT {s:String} AS s, {n:Nullable(String)} AS n, {a:Array(String)} AS a, {i:Int64} AS i, {u:UInt64} AS u,
    {f:Float64} AS f, {fa:Array(Float64)} AS fa, {t:DateTime64(3, 'UTC')} AS t, {ta:Array(DateTime64(3, 'UTC'))} AS ta,
    {d:Date} AS d, {dt:DateTime('UTC')} AS dt, {b:UInt8} AS b`;

  it('give the same answer on random values of every placeholder type the reports use', async () => {
    const embedded = await targets[0][1]();
    const server = await targets[1][1]();
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            s: text,
            n: fc.option(text, { nil: null }),
            a: fc.array(text, { maxLength: 3 }),
            i: fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
            u: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
            f: fc.double({ noNaN: true, noDefaultInfinity: true }),
            fa: fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { maxLength: 3 }),
            t: fc.oneof(instant, instant.map((d) => d.toISOString())),
            ta: fc.array(instant, { maxLength: 3 }),
            // Inside the range of Date and DateTime (to 2106-02-07): past it binding saturates and CAST wraps around.
            d: narrowInstant,
            dt: narrowInstant,
            b: fc.boolean(),
          }),
          async (params) => {
            expect(await embedded.query(SQL, params)).toEqual(await server.query(SQL, params));
          },
        ),
        { numRuns: 60 },
      );
    } finally {
      await embedded.close();
      await server.close();
    }
  });

  it('takes an Array(String) of 50,000 ids, past ClickHouse\'s default max_query_size once inlined', async () => {
    const embedded = await targets[0][1]();
    try {
      const ids = Array.from({ length: 50_000 }, (_, i) => `event-id-of-a-realistic-length-${i}`);
      expect(await embedded.query('SELECT length({ids:Array(String)}) AS n', { ids })).toEqual([{ n: '50000' }]);
    } finally {
      await embedded.close();
    }
  });

  it('names a placeholder that has no value', async () => {
    const embedded = await targets[0][1]();
    try {
      await expect(embedded.query('SELECT {missing:String} AS x', { other: 1 })).rejects.toThrow("query parameter 'missing' (String) has no value");
    } finally {
      await embedded.close();
    }
  });
});
