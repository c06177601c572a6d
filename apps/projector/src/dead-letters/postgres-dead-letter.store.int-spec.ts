import { openReadModel } from '@funnel/persistence';
import { funnelEventBuilder, realPostgresSchema, type TestDatabase } from '@funnel/testing';
import type { DataSource } from 'typeorm';
import { PostgresDeadLetterStore } from './postgres-dead-letter.store';

describe('PostgresDeadLetterStore on the PostgreSQL server', () => {
  const b = funnelEventBuilder('pdl');
  const at = '2026-03-02T10:15:00.000Z';
  let db: TestDatabase;
  let ds: DataSource;
  let store: PostgresDeadLetterStore;

  beforeAll(async () => {
    db = await realPostgresSchema('pdl');
    ds = await openReadModel({ url: db.url, schema: db.schema, poolSize: 2 });
    store = new PostgresDeadLetterStore(ds);
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.close();
  });

  it('keeps letters per projection until a replay applies them, and keeps the new error of one that fails again', async () => {
    const fixed = b.captured('L-1', at);
    const stillBad = b.stage('L-2', at, 'MQL');
    const other = b.stage('L-3', at, 'SQL');
    await store.put('clickhouse', { position: '7', event: fixed }, 'table lead_captures is missing');
    await store.put('clickhouse', { position: '9', event: stillBad }, 'boom');
    await store.put('postgres', { position: '9', event: other }, 'boom');

    const offered: string[] = [];
    const first = await store.replay('clickhouse', async (record) => {
      offered.push(`${record.position}:${record.event.id}`);
      if (record.event.id === stillBad.id) throw new Error('still boom');
    });
    expect(first).toEqual({ replayed: 1, failed: 1 });
    expect(offered).toEqual([`7:${fixed.id}`, `9:${stillBad.id}`]);
    const rows = await ds.query(
      `SELECT projection, event_id, error, replayed_at IS NOT NULL AS replayed FROM dead_letters ORDER BY id`,
    );
    expect(rows).toEqual([
      { projection: 'clickhouse', event_id: fixed.id, error: 'table lead_captures is missing', replayed: true },
      { projection: 'clickhouse', event_id: stillBad.id, error: 'still boom', replayed: false },
      { projection: 'postgres', event_id: other.id, error: 'boom', replayed: false },
    ]);

    // Only what is still pending is offered again; the same event failing anew is pending again.
    const second: string[] = [];
    expect(await store.replay('clickhouse', async (record) => void second.push(record.event.id))).toEqual({ replayed: 1, failed: 0 });
    expect(second).toEqual([stillBad.id]);
    await store.put('clickhouse', { position: '7', event: fixed }, 'broke again');
    const third: string[] = [];
    expect(await store.replay('clickhouse', async (record) => void third.push(record.event.id))).toEqual({ replayed: 1, failed: 0 });
    expect(third).toEqual([fixed.id]);
    expect(await store.replay('clickhouse', async () => undefined)).toEqual({ replayed: 0, failed: 0 });
  });

  it('lists the pending letters, per projection or all, oldest first, with their latest error', async () => {
    await ds.query(`TRUNCATE dead_letters`);
    const first = b.captured('L-10', at);
    const second = b.scored('L-11', at, 70);
    const done = b.stage('L-12', at, 'SQL');
    await store.put('postgres', { position: '3', event: first }, 'boom');
    await store.put('clickhouse', { position: '4', event: second }, 'table is missing');
    await store.put('postgres', { position: '5', event: done }, 'boom');
    await store.replay('postgres', async (record) => {
      if (record.event.id === first.id) throw new Error('still boom');
    });

    expect(await store.list('postgres')).toEqual([
      { projection: 'postgres', position: '3', error: 'still boom', failedAt: expect.stringMatching(/^\d{4}-.*Z$/), event: first },
    ]);
    expect((await store.list()).map((l) => [l.projection, l.event.id])).toEqual([
      ['postgres', first.id],
      ['clickhouse', second.id],
    ]);
    expect(await store.list('clickhouse')).toEqual([expect.objectContaining({ position: '4', error: 'table is missing', event: second })]);
  });
});
