import type { FunnelEvent } from '@funnel/contracts';
import { spawn } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { Client, Pool } from 'pg';
import { expectEventually } from '../../../testing/src/expect-eventually';
import type { BatchHandler, LogRecord } from '../event-log.port';
import { APPEND_LOCK_NAMESPACE, migrateEventLog } from './event-log.migrations';
import { PostgresEventLog, type PostgresEventLogOptions } from './postgres-event-log.adapter';

const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

interface Backend {
  readonly pool: Pool;
  stop(): Promise<void>;
}

// An unreachable server fails here, in beforeAll, and so fails every test of the block.
async function startServer(): Promise<Backend> {
  const schema = `el_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const pool = new Pool({ connectionString: DATABASE_URL, options: `-c search_path=${schema}`, max: 8 });
  return {
    pool,
    async stop() {
      await pool.end();
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
}

// PGlite's Emscripten loader uses dynamic import(), which jest's module sandbox refuses without
// --experimental-vm-modules; so the in-memory PGlite and its socket server run in a plain child
// Node process, and the test talks to it over the wire exactly as embedded mode does.
const PGLITE_HOST_SCRIPT = `
  const { PGlite } = require(process.env.PGLITE_MODULE);
  const { PGLiteSocketServer } = require(process.env.PGLITE_SOCKET_MODULE);
  (async () => {
    const db = await PGlite.create();
    const maxConnections = Number(process.env.PGLITE_MAX_CONNECTIONS);
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
    await server.start();
    process.stdout.write(server.getServerConn() + '\\n');
    process.stdin.on('end', async () => {
      await server.stop();
      await db.close();
      process.exit(0);
    });
    process.stdin.resume();
  })().catch((error) => {
    console.error(error);
    process.exit(1);
  });`;

async function startPglite(): Promise<Backend> {
  const maxConnections = 4;
  const host = spawn(process.execPath, ['-e', PGLITE_HOST_SCRIPT], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: {
      ...process.env,
      PGLITE_MODULE: require.resolve('@electric-sql/pglite'),
      PGLITE_SOCKET_MODULE: require.resolve('@electric-sql/pglite-socket'),
      PGLITE_MAX_CONNECTIONS: String(maxConnections),
    },
  });
  const exited = once(host, 'exit');
  const address = await new Promise<string>((resolve, reject) => {
    createInterface({ input: host.stdout }).once('line', resolve);
    host.once('exit', (code) => reject(new Error(`PGlite host exited with ${String(code)} before listening`)));
  });
  const [hostname, port] = address.split(':');
  // The pool may open as many connections as the server admits, no more ("Connection terminated").
  const pool = new Pool({ host: hostname, port: Number(port), user: 'postgres', database: 'postgres', max: maxConnections });
  return {
    pool,
    async stop() {
      await pool.end();
      host.stdin.end();
      await exited;
    },
  };
}

function stageChanged(id: string, leadId = `L-${id}`): FunnelEvent {
  return {
    id,
    type: 'LeadStageChanged',
    occurredAt: '2026-03-02T10:15:00.000Z',
    schemaVersion: 1,
    data: { leadId, stage: 'MQL' },
  };
}

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
  readonly backend: () => Backend;
  readonly logger: { warn: jest.Mock; error: jest.Mock };
  newLog(options?: PostgresEventLogOptions): PostgresEventLog;
}

/** One migrated backend per block, an empty log per test, every log closed after its test. */
function useEventLogHarness(start: () => Promise<Backend>): Harness {
  let backend: Backend;
  const logs: PostgresEventLog[] = [];
  const logger = { warn: jest.fn(), error: jest.fn() };

  beforeAll(async () => {
    backend = await start();
    await migrateEventLog(backend.pool);
  });

  afterAll(async () => {
    await backend?.stop();
  });

  beforeEach(async () => {
    jest.clearAllMocks();
    await backend.pool.query(`
      TRUNCATE event_log, event_log_consumers, ingested_event_ids;
      UPDATE event_log_stats SET accepted = 0`);
  });

  afterEach(async () => {
    await Promise.all(logs.splice(0).map((log) => log.close()));
  });

  return {
    backend: () => backend,
    logger,
    newLog(options = {}) {
      const log = new PostgresEventLog(backend.pool, { logger, retryBackoff: { initialMs: 5, maxMs: 20 }, ...options });
      logs.push(log);
      return log;
    },
  };
}

describe.each([
  { name: 'PostgreSQL server', start: startServer },
  { name: 'PGlite over pglite-socket', start: startPglite },
])('PostgresEventLog on $name', ({ start }) => {
  const { backend, logger, newLog } = useEventLogHarness(start);

  it('migrates idempotently, also when several processes start at once', async () => {
    await Promise.all([1, 2, 3].map(() => migrateEventLog(backend().pool)));
    const { rows } = await backend().pool.query('SELECT version FROM event_log_schema_version ORDER BY version');
    expect(rows).toEqual([{ version: 1 }]);
  });

  it('appends with first id wins, within a call and across calls, whatever the payload', async () => {
    const log = newLog();
    const first: FunnelEvent = { ...stageChanged('a'), source: 'hubspot' };
    const second: FunnelEvent = {
      id: 'b',
      type: 'OpportunityCreated',
      occurredAt: '2026-03-02T10:15:00.123Z',
      schemaVersion: 2,
      currency: 'USD',
      data: { opportunityId: 'O-1', amount: 1250.5, leadIds: ['L-a'] },
    };
    const third = stageChanged('c');

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

// Server only: PGlite cannot hold two transactions open at once (the socket server queues every
// other connection behind an open one), so appends there cannot commit out of order at all.
describe('PostgresEventLog on a PostgreSQL server with concurrent appends', () => {
  const { backend, newLog } = useEventLogHarness(startServer);

  it('never skips an append that commits after a later position was read', async () => {
    const { pool } = backend();
    const gateNamespace = 0x54455354;
    const gateKey = randomInt(1, 2 ** 31);
    // Holds the append of any 'held-*' event inside its transaction, after it took its position,
    // for as long as the test owns the gate lock.
    await pool.query(`
      CREATE OR REPLACE FUNCTION hold_gated_append() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_advisory_xact_lock_shared(${gateNamespace}, ${gateKey}); RETURN NEW; END $$;
      CREATE OR REPLACE TRIGGER hold_gated_append BEFORE INSERT ON event_log FOR EACH ROW
        WHEN (NEW.event_id LIKE 'held-%') EXECUTE FUNCTION hold_gated_append()`);
    const gate = new Client({ connectionString: DATABASE_URL });
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
      const log = newLog();
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
