import { ClickHouseError, TupleParam, createClient } from '@clickhouse/client';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChdbHttpServer, type ChdbHttpServer } from './chdb-http-server';

describe('chdb HTTP server', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'chdb-http-'));
  let server: ChdbHttpServer;

  beforeAll(async () => {
    server = await startChdbHttpServer({ dataDir });
  });

  afterAll(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers /ping', async () => {
    const res = await fetch(`${server.url}/ping`);
    expect(await res.text()).toBe('Ok.\n');
  });

  it('answers in TabSeparated unless default_format or a FORMAT clause says otherwise, echoing query_id', async () => {
    const plain = await fetch(`${server.url}/?query_id=q1`, { method: 'POST', body: "SELECT 1 AS n, 'a' AS s" });
    expect(plain.headers.get('x-clickhouse-query-id')).toBe('q1');
    expect(await plain.text()).toBe('1\ta\n');
    const json = await fetch(`${server.url}/?default_format=JSONEachRow`, { method: 'POST', body: 'SELECT 1 AS n' });
    expect(await json.text()).toBe('{"n":1}\n');
    const clause = await fetch(`${server.url}/?default_format=JSONEachRow`, { method: 'POST', body: 'SELECT 1 AS n FORMAT CSV' });
    expect(await clause.text()).toBe('1\n');
  });

  it('takes a URL as long as the server does (query params of a 1,000-event batch are ~40 KB)', async () => {
    // Node's default limit (16 KiB) answered 431 with an empty body, which @clickhouse/client
    // reports as an error without a message: every projector batch over ~400 ids failed once.
    const client = createClient({ url: server.url });
    try {
      const ids = Array.from({ length: 5_000 }, (_, i) => `evt-${String(i).padStart(8, '0')}-0000-0000-000000000000`);
      const rows = await client.query({ query: 'SELECT length({ids:Array(String)}) AS n', query_params: { ids }, format: 'JSONEachRow' });
      expect(await rows.json()).toEqual([{ n: 5000 }]);
    } finally {
      await client.close();
    }
  });

  it('answers an error with HTTP 500 and ClickHouse exception text', async () => {
    const res = await fetch(`${server.url}/`, { method: 'POST', body: 'SELECT * FROM nowhere' });
    expect(res.status).toBe(500);
    expect(res.headers.get('x-clickhouse-exception-code')).toBe('60');
    expect(await res.text()).toMatch(/^Code: 60\. DB::Exception: .*nowhere.*\(UNKNOWN_TABLE\)/s);
  });

  it('serves @clickhouse/client: databases, inserts, composite params and errors', async () => {
    const admin = createClient({ url: server.url });
    await admin.command({ query: 'CREATE DATABASE shim' });
    await admin.close();

    const client = createClient({ url: server.url, database: 'shim' });
    await client.command({ query: 'CREATE TABLE t (id String, tags Array(String)) ENGINE = MergeTree ORDER BY id' });
    await client.insert({ table: 't', values: [{ id: "it's", tags: ['a\\b', "c'd"] }], format: 'JSONEachRow' });
    const result = await client.query({
      query: `SELECT id, tags, {tuple:Tuple(String, UInt8)} AS tuple, {map:Map(String, Array(String))} AS map
              FROM t WHERE has({ids:Array(String)}, id)`,
      query_params: {
        ids: ["it's", 'other'],
        tuple: new TupleParam(['x\ty', 1]),
        map: new Map([["k'", ['v\\']]]),
      },
      format: 'JSONEachRow',
    });
    expect(await result.json()).toEqual([{ id: "it's", tags: ['a\\b', "c'd"], tuple: ['x\ty', 1], map: { "k'": ['v\\'] } }]);
    await expect(client.command({ query: 'DROP TABLE nowhere' })).rejects.toBeInstanceOf(ClickHouseError);
    await client.close();
  });
});
