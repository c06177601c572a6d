import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedClickHouse } from './embedded-clickhouse.adapter';

// Own test file, so its own process: these tests open and close chdb data directories.
describe('EmbeddedClickHouse', () => {
  const root = mkdtempSync(join(tmpdir(), 'embedded-clickhouse-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('opens one data directory per process, and another once every adapter on it is closed', async () => {
    const first = await EmbeddedClickHouse.open(join(root, 'a'));
    const second = await EmbeddedClickHouse.open(join(root, 'a'), { database: 'other' });
    await expect(EmbeddedClickHouse.open(join(root, 'b'))).rejects.toThrow(/one data directory per process: '.*\/a' is open/);

    await first.close();
    await expect(EmbeddedClickHouse.open(join(root, 'b'))).rejects.toThrow(/one data directory per process/);
    expect(await second.query('SELECT currentDatabase() AS db')).toEqual([{ db: 'other' }]);
    await second.close();

    const elsewhere = await EmbeddedClickHouse.open(join(root, 'b'));
    expect(await elsewhere.query('SELECT currentDatabase() AS db')).toEqual([{ db: 'funnel' }]);
    await elsewhere.close();
  });

  it('keeps its data across close and reopen', async () => {
    const dir = join(root, 'durable');
    const writer = await EmbeddedClickHouse.open(dir);
    await writer.command('CREATE TABLE kept (id String) ENGINE = MergeTree ORDER BY id');
    await writer.insert('kept', [{ id: 'x' }]);
    await writer.close();

    const reader = await EmbeddedClickHouse.open(dir);
    expect(await reader.query('SELECT id FROM kept')).toEqual([{ id: 'x' }]);
    await reader.close();
  });

  it('runs queries off the event loop', async () => {
    const ch = await EmbeddedClickHouse.open(join(root, 'busy'));
    let settled = false;
    const heavy = ch
      .query('SELECT sum(sipHash64(number)) AS s FROM numbers({n:UInt64})', { n: 200_000_000 })
      .finally(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 1));
    expect(settled).toBe(false);
    await heavy;
    await ch.close();
  });
});
