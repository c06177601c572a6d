import { CRASH_POINTS, loadConfig, PROJECTION_NAMES } from '@funnel/config';
import type { FunnelEvent } from '@funnel/contracts';
import { exited, expectClose, generateFunnelEvents, runCommand, shuffled, spawnApp, type SpawnedApp } from '@funnel/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStandalone } from '../../apps/standalone/src/standalone.app';
import { dumpClickHouse, dumpPostgres, expectedFactCounts, factCounts } from '../read-model-dump';
import { reportQueries } from '../report-queries';
import { AckedIds, caughtUp, gql } from './fault-client';

/**
 * Faults on purpose in embedded mode (issue 12 item 6), one after another on one data directory:
 * the server SIGKILLs itself at each projection's crash points (FAULT_CRASH_POINT), then is
 * SIGKILLed from outside in the middle of requests that the client retries. After each fault:
 * every event answered 2xx is in the log, both projections have processed exactly the accepted
 * events with no dead letter, and every report equals a clean server's that got the same events
 * once. At the end each read model holds one row per event and a replay rebuilds the same rows.
 */
describe('embedded server under faults', () => {
  const dir = mkdtempSync(join(tmpdir(), 'funnel-faults-'));
  const refDir = mkdtempSync(join(tmpdir(), 'funnel-faults-ref-'));
  const events = generateFunnelEvents({ leads: 240, seed: 41, prefix: 'flt' });
  // Shuffled across subjects, every fourth event sent twice (the copies land in other requests).
  const stream = shuffled([...events, ...events.filter((_, i) => i % 4 === 0)], 3);
  const crashes = PROJECTION_NAMES.flatMap((projection) => CRASH_POINTS.map((point) => ({ projection, point })));
  const chunk = Math.ceil(stream.length / (crashes.length + 1));
  const period = { from: '2026-01-01T00:00:00.000Z', to: '2026-03-01T00:00:00.000Z', asOf: '2026-02-15T00:00:00.000Z', leadId: 'flt-L1' };
  const client = new AckedIds();
  const env = { PORT: '0', DATA_DIR: dir, SLA_CHECK_SECONDS: '0' };
  let server: SpawnedApp | undefined;
  let reference: SpawnedApp;

  beforeAll(async () => {
    reference = await spawnApp('standalone', { PORT: '0', DATA_DIR: refDir, SLA_CHECK_SECONDS: '0' });
  }, 60_000);

  afterAll(async () => {
    await Promise.all([server?.stop('SIGKILL'), reference?.stop()]);
    rmSync(dir, { recursive: true, force: true });
    rmSync(refDir, { recursive: true, force: true });
  });

  const sent: FunnelEvent[] = [];
  /** Sends `batch` to the reference once and to the faulted server until it answers, restarting it after a crash. */
  const send = async (batch: readonly FunnelEvent[]) => {
    await new AckedIds().post(reference.url, batch);
    sent.push(...batch);
    for (;;) {
      try {
        return await client.post((server as SpawnedApp).url, batch);
      } catch (error) {
        // Killed during the request (reset, closed) or already dead when it was sent (refused).
        if (!/fetch failed|ECONNRESET|ECONNREFUSED|socket|other side closed/i.test(String((error as Error).cause ?? error))) throw error;
        await exited((server as SpawnedApp).child);
        server = await spawnApp('standalone', env);
      }
    }
  };

  const expectCleanAnswers = async () => {
    const distinct = new Set(sent.map((e) => e.id)).size;
    expect(client.ids.size).toBe(distinct);
    await caughtUp((server as SpawnedApp).url, distinct);
    await caughtUp(reference.url, distinct);
    for (const query of reportQueries(period)) {
      const [expected, actual] = [await gql(reference.url, query), await gql((server as SpawnedApp).url, query)];
      expect(expected.errors).toBeUndefined();
      expectClose(actual, expected);
    }
  };

  it.each(crashes.map((c, i) => [c.projection, c.point, i] as const))(
    'loses and doubles nothing when the %s projection is killed %s',
    async (projection, point, i) => {
      server = await spawnApp('standalone', { ...env, FAULT_CRASH_POINT: `${projection}:${point}:2` });
      const crashing = server;
      const part = stream.slice(i * chunk, (i + 1) * chunk);
      for (let k = 0; k < part.length; k += 60) await send(part.slice(k, k + 60));
      // The second batch may come after the last POST: wait for the kill, then restart.
      await Promise.race([
        exited(crashing.child),
        new Promise((_, reject) => setTimeout(() => reject(new Error(`the crash point was never reached:\n${crashing.output()}`)), 60_000).unref()),
      ]);
      expect(crashing.child.signalCode).toBe('SIGKILL');
      expect(crashing.output()).toContain(`FAULT_CRASH_POINT: SIGKILL at ${point} of ${projection} batch 2`);
      if (server === crashing) server = await spawnApp('standalone', env);
      await expectCleanAnswers();
      await server.stop();
    },
    180_000,
  );

  it('keeps every acknowledged event when killed in the middle of requests the client retries', async () => {
    server = await spawnApp('standalone', env);
    const rest = stream.slice(crashes.length * chunk);
    let interrupted = 0;
    for (const delayMs of [5, 40, 120]) {
      const victim = server;
      const kill = setTimeout(() => victim.child.kill('SIGKILL'), delayMs);
      try {
        await client.post(victim.url, rest);
      } catch {
        interrupted++;
      }
      clearTimeout(kill);
      if (victim.child.exitCode === null && victim.child.signalCode === null) victim.child.kill('SIGKILL');
      await exited(victim.child);
      server = await spawnApp('standalone', env);
    }
    expect(interrupted).toBeGreaterThan(0);
    const retried = await send(rest);
    expect(retried.accepted + retried.duplicates).toBe(rest.length);
    await expectCleanAnswers();
  }, 180_000);

  it('holds one row per accepted event in each read model, and a replay rebuilds the same rows', async () => {
    await server?.stop();
    server = undefined;
    const distinct = [...new Map(sent.map((e) => [e.id, e])).values()];
    const open = () => startStandalone(loadConfig(env));
    let app = await open();
    const before = { postgres: await dumpPostgres(app.runtime.readModel), clickhouse: await dumpClickHouse(app.runtime.clickhouse) };
    const [row] = await app.runtime.readModel.query(`SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS ids FROM subject_events`);
    expect(row).toEqual({ n: distinct.length, ids: distinct.length });
    expect(await factCounts(app.runtime.clickhouse)).toEqual(expectedFactCounts(distinct));
    await app.close();

    for (const projection of PROJECTION_NAMES) {
      const replay = await runCommand('funnel', ['replay', '--projection', projection], env);
      expect({ projection, code: replay.code, output: replay.output }).toMatchObject({ code: 0 });
    }
    app = await open();
    try {
      expect(await dumpPostgres(app.runtime.readModel)).toEqual(before.postgres);
      expect(await dumpClickHouse(app.runtime.clickhouse)).toEqual(before.clickhouse);
    } finally {
      await app.close();
    }
  }, 180_000);
});
