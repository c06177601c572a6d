import type { FunnelEvent } from '@funnel/contracts';
import { expectEventually, firstIdWinsEvents, pgliteDatabase, realPostgresSchema, stageChanged, type TestDatabase } from '@funnel/testing';
import { randomInt } from 'node:crypto';
import { Client, Pool } from 'pg';
import type { BatchHandler, LogRecord } from '../event-log.port';
import { APPEND_LOCK_NAMESPACE, migrateEventLog } from './event-log.migrations';
import { PostgresEventLog, type PostgresEventLogOptions } from './postgres-event-log.adapter';

function events(prefix: string, count: number): FunnelEvent[] {
  return Array.from({ length: count }, (_, i) => stageChanged(`${prefix}-${i}`));
}

function collector(): { handler: BatchHandler; batches: LogRecord[][]; ids: () => string[] } {
  const batches: LogRecord[][] = [];
  return {
    batches,
    handler: async (records) => {
      batches.push([...records]);
    },
    ids: () => batches.flat().map((record) => record.event.id),
  };
}

function positionsOf(records: readonly LogRecord[]): bigint[] {
  return records.map((record) => BigInt(record.position));
}

function expectIncreasing(values: readonly bigint[]): void {
  values.slice(1).forEach((value, i) => expect(value).toBeGreaterThan(values[i]));
}

interface Harness {
  readonly db: () => TestDatabase;
  readonly pool: () => Pool;
  readonly logger: { warn: jest.Mock; error: jest.Mock };
  newLog(options?: PostgresEventLogOptions): PostgresEventLog;
}

/** One migrated database per block, an empty log per test, every log closed after its test. */
function useEventLogHarness(open: () => Promise<TestDatabase>): Harness {
  let db: TestDatabase;
  let pool: Pool;
  const logs: PostgresEventLog[] = [];
  const logger = { warn: jest.fn(), error: jest.fn() };

  // A missing database fails here, in beforeAll, and so fails every test of the block.
  beforeAll(async () => {
    db = await open();
    // PGlite's poolSize is 1: pglite-socket interleaves concurrent connections' messages.
    pool = new Pool({ connectionString: db.url, options: db.pgOptions, max: db.poolSize });
    await migrateEventLog(pool);
  });

  afterAll(async () => {
    await pool?.end();
    await db?.close();
  });

  beforeEach(async () => {
    jest.clearAllMocks();
    await pool.query(`
      TRUNCATE event_log, event_log_consumers, ingested_event_ids;
      UPDATE event_log_stats SET accepted = 0`);
  });

  afterEach(async () => {
    await Promise.all(logs.splice(0).map((log) => log.close()));
  });

  return {
    db: () => db,
    pool: () => pool,
    logger,
    newLog(options = {}) {
      const log = new PostgresEventLog(pool, { logger, retryBackoff: { initialMs: 5, maxMs: 20 }, ...options });
      logs.push(log);
      return log;
    },
  };
}

describe.each([
  { name: 'PostgreSQL server', open: () => realPostgresSchema('el') },
  { name: 'PGlite over pglite-socket', open: pgliteDatabase },
])('PostgresEventLog on $name', ({ open }) => {
  const { pool, logger, newLog } = useEventLogHarness(open);

  it('migrates idempotently, also when several processes start at once', async () => {
    await Promise.all([1, 2, 3].map(() => migrateEventLog(pool())));
    const { rows } = await pool().query('SELECT version FROM event_log_schema_version ORDER BY version');
    expect(rows).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }, { version: 4 }]);
  });

  it('keeps the request id and writer of an append beside its events, not in them', async () => {
    const log = newLog();
    await log.append([stageChanged('r1'), stageChanged('r2')], { requestId: 'req-1', writer: 'crm' });
    await log.append([stageChanged('r3')]);

    const records = await log.readAll();
    expect(records.map((record) => [record.event.id, record.requestId, record.writer])).toEqual([
      ['r1', 'req-1', 'crm'],
      ['r2', 'req-1', 'crm'],
      ['r3', undefined, undefined],
    ]);
    const { rows } = await pool().query('SELECT event_id, written_by FROM event_log ORDER BY position');
    expect(rows).toEqual([{ event_id: 'r1', written_by: 'crm' }, { event_id: 'r2', written_by: 'crm' }, { event_id: 'r3', written_by: null }]);
    expect(records.map((record) => record.event)).toEqual([stageChanged('r1'), stageChanged('r2'), stageChanged('r3')]);
  });

  it('appends with first id wins, within a call and across calls, whatever the payload', async () => {
    const log = newLog();
    const { first, second, third } = firstIdWinsEvents();

    expect(await log.append([first, second, stageChanged('a', 'L-other')])).toEqual({
      accepted: ['a', 'b'],
      duplicates: ['a'],
    });
    expect(await log.append([stageChanged('b'), third, stageChanged('c', 'L-again')])).toEqual({
      accepted: ['c'],
      duplicates: ['b', 'c'],
    });
    expect(await log.append([])).toEqual({ accepted: [], duplicates: [] });

    const records = await log.readAll();
    expect(records.map((record) => record.event)).toEqual([first, second, third]);
    expectIncreasing(positionsOf(records));
    expect(await log.readAll(records[0].position, 1)).toEqual([records[1]]);
    expect(await log.acceptedCount()).toBe(3);
  });

  it('delivers every event once, in position order, in batches of at most batchSize, woken by appends', async () => {
    // An hour-long poll: everything delivered here was woken by the appends themselves.
    const log = newLog({ batchSize: 10, idlePollMs: 3_600_000 });
    const seen = collector();
    await log.subscribe('projector', seen.handler);
    const appended = [...events('x', 12), ...events('y', 13)];
    await log.append(appended.slice(0, 12));
    await log.append(appended.slice(12));

    await expectEventually(() => expect(seen.ids()).toEqual(appended.map((event) => event.id)));
    expect(seen.batches.every((batch) => batch.length >= 1 && batch.length <= 10)).toBe(true);
    expectIncreasing(positionsOf(seen.batches.flat()));

    const more = events('z', 7);
    await log.append(more);
    await expectEventually(() => expect(seen.ids()).toEqual([...appended, ...more].map((event) => event.id)));
    await expectEventually(async () =>
      expect(await log.progress('projector')).toEqual({ name: 'projector', processed: 32, lag: 0 }),
    );
  });

  it('gives a consumer the smaller batches it asks for, and never more than the log allows', async () => {
    const log = newLog({ batchSize: 10, idlePollMs: 3_600_000 });
    const small = collector();
    const greedy = collector();
    await log.subscribe('small', small.handler, { batchSize: 3 });
    await log.subscribe('greedy', greedy.handler, { batchSize: 1_000 });
    const appended = events('s', 25);
    await log.append(appended);

    const ids = appended.map((event) => event.id);
    await expectEventually(() => expect(small.ids()).toEqual(ids));
    await expectEventually(() => expect(greedy.ids()).toEqual(ids));
    expect(Math.max(...small.batches.map((batch) => batch.length))).toBe(3);
    expect(Math.max(...greedy.batches.map((batch) => batch.length))).toBe(10);
  });

  it('hands its own consumers the records of an append from memory exactly as a read of the table returns them', async () => {
    const log = newLog({ idlePollMs: 3_600_000 });
    const seen = collector();
    await log.subscribe('projector', seen.handler);
    // Keys out of jsonb's order (shorter first, then by bytes), nested, numeric-looking and non-ASCII.
    const odd = {
      ...stageChanged('odd'),
      data: { ...stageChanged('odd').data, zeta: { b: 1, a: [{ yy: 2, x: 1 }], '10': 'ten', '2': 'two' }, 'é': 0.1, aa: 1e21 },
    } as unknown as FunnelEvent;
    await log.append([stageChanged('plain'), odd], { requestId: 'req-7' });

    await expectEventually(() => expect(seen.ids()).toEqual(['plain', 'odd']));
    const fromTable = await log.readAll();
    expect(seen.batches.flat()).toStrictEqual(fromTable);
    expect(seen.batches.flat().map((record) => JSON.stringify(record))).toEqual(fromTable.map((record) => JSON.stringify(record)));
  });

  it('does not move the checkpoint while the handler fails, and redelivers the same batch', async () => {
    const log = newLog();
    await log.append(events('e', 4));
    const deliveries: string[][] = [];
    const processedWhileFailing: number[] = [];
    await log.subscribe('flaky', async (records) => {
      deliveries.push(records.map((record) => record.event.id));
      if (deliveries.length <= 3) {
        processedWhileFailing.push((await log.progress('flaky')).processed);
        throw new Error('read model unavailable');
      }
    });

    await expectEventually(async () =>
      expect(await log.progress('flaky')).toEqual({ name: 'flaky', processed: 4, lag: 0 }),
    );
    expect(deliveries).toEqual(Array.from({ length: 4 }, () => ['e-0', 'e-1', 'e-2', 'e-3']));
    expect(processedWhileFailing).toEqual([0, 0, 0]);
    expect(logger.error).toHaveBeenCalledTimes(3);
  });

  it('reports progress and lag from the counters', async () => {
    const log = newLog();
    await log.append(events('p', 10));
    expect(await log.progress('reporting')).toEqual({ name: 'reporting', processed: 0, lag: 10 });

    const subscription = await log.subscribe('reporting', collector().handler);
    await expectEventually(async () =>
      expect(await log.progress('reporting')).toEqual({ name: 'reporting', processed: 10, lag: 0 }),
    );
    await subscription.stop();

    await log.append([...events('q', 5), stageChanged('p-0')]);
    expect(await log.acceptedCount()).toBe(15);
    expect(await log.progress('reporting')).toEqual({ name: 'reporting', processed: 10, lag: 5 });
    expect(await log.progress('never-ran')).toEqual({ name: 'never-ran', processed: 0, lag: 15 });
  });

  it('replays the whole log after resetConsumer, stopped or running', async () => {
    const log = newLog();
    const appended = events('r', 5);
    const ids = appended.map((event) => event.id);
    await log.append(appended);

    const firstRun = collector();
    const first = await log.subscribe('rebuild', firstRun.handler);
    await expectEventually(() => expect(firstRun.ids()).toEqual(ids));
    await first.stop();

    await log.resetConsumer('rebuild');
    expect(await log.progress('rebuild')).toEqual({ name: 'rebuild', processed: 0, lag: 5 });

    const secondRun = collector();
    await log.subscribe('rebuild', secondRun.handler);
    await expectEventually(() => expect(secondRun.ids()).toEqual(ids));
    expect(secondRun.batches.flat()).toEqual(firstRun.batches.flat());

    await log.resetConsumer('rebuild');
    await expectEventually(() => expect(secondRun.ids()).toEqual([...ids, ...ids]));
    await expectEventually(async () =>
      expect(await log.progress('rebuild')).toEqual({ name: 'rebuild', processed: 5, lag: 0 }),
    );
  });

  it('stop() lets the batch in flight finish and commit, then delivers nothing more', async () => {
    const log = newLog();
    await log.append(events('s', 3));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const handlerStarted = new Promise<void>((resolve) => (started = resolve));
    const deliveries: string[][] = [];
    const subscription = await log.subscribe('stopping', async (records) => {
      deliveries.push(records.map((record) => record.event.id));
      started();
      await released;
    });

    await handlerStarted;
    let stopped = false;
    const stopping = subscription.stop().then(() => (stopped = true));
    await new Promise(setImmediate);
    expect(stopped).toBe(false);

    release();
    await stopping;
    expect(await log.progress('stopping')).toEqual({ name: 'stopping', processed: 3, lag: 0 });
    await log.append(events('t', 2));
    expect(deliveries).toEqual([['s-0', 's-1', 's-2']]);
    await expect(subscription.stop()).resolves.toBeUndefined();
  });
});

// Server only: PGlite is used through one connection (TestDatabase.poolSize), so two appends can
// never be in flight at once there, and the held append would block every other query.
describe('PostgresEventLog on a PostgreSQL server with concurrent appends', () => {
  const harness = useEventLogHarness(() => realPostgresSchema('el'));

  it('never skips an append that commits after a later position was read', async () => {
    const pool = harness.pool();
    const gateNamespace = 0x54455354;
    const gateKey = randomInt(1, 2 ** 31);
    // Holds the append of any 'held-*' event inside its transaction, after it took its position,
    // for as long as the test owns the gate lock.
    await pool.query(`
      CREATE OR REPLACE FUNCTION hold_gated_append() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_advisory_xact_lock_shared(${gateNamespace}, ${gateKey}); RETURN NEW; END $$;
      CREATE OR REPLACE TRIGGER hold_gated_append BEFORE INSERT ON event_log FOR EACH ROW
        WHEN (NEW.event_id LIKE 'held-%') EXECUTE FUNCTION hold_gated_append()`);
    const gate = new Client({ connectionString: harness.db().url });
    await gate.connect();
    const { rows } = await pool.query<{ oid: string }>(`SELECT 'event_log'::regclass::oid::text AS oid`);
    const appendLockKey = Number(rows[0].oid);
    const waiting = async (namespace: number, key: number): Promise<number> => {
      const { rows: found } = await pool.query<{ waiting: number }>(
        `SELECT count(*)::int AS waiting FROM pg_locks
         WHERE locktype = 'advisory' AND NOT granted AND classid = $1::oid AND objid = $2::oid`,
        [namespace, key],
      );
      return found[0].waiting;
    };

    try {
      const log = harness.newLog();
      const seen = collector();
      await log.subscribe('ordered', seen.handler);
      await log.append([stageChanged('before')]);
      await expectEventually(() => expect(seen.ids()).toEqual(['before']));

      await gate.query('SELECT pg_advisory_lock($1, $2)', [gateNamespace, gateKey]);
      const held = log.append([stageChanged('held-1')]);
      await expectEventually(async () => expect(await waiting(gateNamespace, gateKey)).toBe(1));
      const later = log.append([stageChanged('later-1')]);
      await expectEventually(async () =>
        expect(await waiting(APPEND_LOCK_NAMESPACE, appendLockKey)).toBe(1),
      );

      // The held append has its position and an open transaction; the later one cannot take a
      // position, let alone commit, so nothing after 'before' is visible to readers yet.
      expect((await log.readAll()).map((record) => record.event.id)).toEqual(['before']);
      expect(seen.ids()).toEqual(['before']);

      await gate.query('SELECT pg_advisory_unlock($1, $2)', [gateNamespace, gateKey]);
      expect(await held).toEqual({ accepted: ['held-1'], duplicates: [] });
      expect(await later).toEqual({ accepted: ['later-1'], duplicates: [] });
      await expectEventually(() => expect(seen.ids()).toEqual(['before', 'held-1', 'later-1']));
      expectIncreasing(positionsOf(seen.batches.flat()));
    } finally {
      await gate.end();
      await pool.query('DROP TRIGGER hold_gated_append ON event_log');
    }
  });
});
