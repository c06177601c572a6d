import { loadConfig } from '@funnel/config';
import { openRuntime, type RuntimeWithClickHouse } from '@funnel/runtime';
import { expectEventually, generateFunnelEvents } from '@funnel/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresDeadLetterStore } from '../apps/projector/src/dead-letters/postgres-dead-letter.store';
import { createProjectionRunners } from '../apps/projector/src/projectors';
import { replayProjection, type ReplayProgress } from '../apps/projector/src/replay/replay';

async function readModels(rt: RuntimeWithClickHouse) {
  return {
    leads: await rt.readModel.query(`SELECT lead_id, state FROM leads ORDER BY lead_id`),
    opportunities: await rt.readModel.query(`SELECT opportunity_id, state FROM opportunities ORDER BY opportunity_id`),
    funnel: await rt.readModel.query(`SELECT * FROM lead_funnel ORDER BY lead_id`),
    touches: await rt.clickhouse.query(`SELECT * FROM touches FINAL ORDER BY event_id`),
    opportunityEvents: await rt.clickhouse.query(`SELECT * FROM opportunity_events FINAL ORDER BY event_id`),
  };
}

describe('replay: dropping a read model and rebuilding it from the log', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'funnel-replay-'));
  let rt: RuntimeWithClickHouse;
  beforeAll(async () => {
    rt = await openRuntime(loadConfig({ DATA_DIR: dataDir }));
  });
  afterAll(async () => {
    await rt?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('gives identical results for both projections, with progress up to the total', async () => {
    const events = generateFunnelEvents({ leads: 250, seed: 5 });
    await rt.eventLog.append(events);
    const live = createProjectionRunners(rt, ['postgres', 'clickhouse'], new PostgresDeadLetterStore(rt.readModel));
    for (const r of live) await r.start();
    await expectEventually(async () => {
      for (const name of ['postgres', 'clickhouse']) expect((await rt.eventLog.progress(name)).lag).toBe(0);
    }, 30_000);
    for (const r of live) await r.stop();
    const before = await readModels(rt);
    expect(before.leads.length).toBeGreaterThan(200);

    for (const name of ['postgres', 'clickhouse'] as const) {
      const [runner] = createProjectionRunners(rt, [name], new PostgresDeadLetterStore(rt.readModel));
      const seen: ReplayProgress[] = [];
      const done = await replayProjection(rt.eventLog, runner, (p) => seen.push(p), 20);
      expect(done).toEqual({ processed: events.length, total: events.length });
      expect(seen[seen.length - 1]).toEqual({ processed: events.length, total: events.length });
    }
    expect(await readModels(rt)).toEqual(before);
  });
});
