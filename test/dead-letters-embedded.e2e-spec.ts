import { loadConfig } from '@funnel/config';
import { openRuntime } from '@funnel/runtime';
import { expectEventually, funnelEventBuilder, runCommand } from '@funnel/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStandalone, type StandaloneApp } from '../apps/standalone/src/standalone.app';

/**
 * Poison events on the PostgreSQL log (embedded mode): they go to the `dead_letters` table while
 * later events still project, and `dead-letters:replay` applies them once the cause is fixed.
 */
describe('dead letters on the embedded PostgreSQL log', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'funnel-dead-'));
  const b = funnelEventBuilder('dl');
  const at = '2026-03-02T10:15:00.000Z';
  let app: StandaloneApp | undefined;

  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const post = (events: readonly object[]) =>
    fetch(`${app?.url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ events }) });

  it('parks poison events in dead_letters, keeps projecting, and replays them after a fix', async () => {
    app = await startStandalone(loadConfig({ SLA_CHECK_SECONDS: '0', PORT: '0', DATA_DIR: dataDir }));
    const { readModel, clickhouse } = app.runtime;
    // A store problem that makes one kind of event fail every time: ClickHouse lost a table.
    const [{ statement: createScores }] = await clickhouse.query<{ statement: string }>('SHOW CREATE TABLE lead_scores');
    await clickhouse.command('DROP TABLE lead_scores');

    const scored = b.scored('L-p', at, 71);
    expect((await post([b.captured('L-p', at), scored])).status).toBe(202);
    // Ingest validates; a poison event can only be in the log if something wrote it directly.
    await readModel.query(
      `INSERT INTO event_log (event_id, type, subject_kind, subject_id, occurred_at, schema_version, data)
       VALUES ('dl-poison', 'LeadTeleported', 'lead', 'L-p', $1, 1, '{"leadId": "L-p"}')`,
      [at],
    );
    await readModel.query(`UPDATE event_log_stats SET accepted = accepted + 1`);
    expect((await post([b.stage('L-p', '2026-03-04T00:00:00Z', 'MQL')])).status).toBe(202);

    await expectEventually(async () => {
      const s: any = await (await fetch(`${app?.url}/v1/status`)).json();
      expect(s.projections).toEqual([
        { name: 'postgres', processed: 4, lag: 0, deadLetters: 1 },
        { name: 'clickhouse', processed: 4, lag: 0, deadLetters: 2 },
      ]);
    }, 30_000);
    expect(await readModel.query(`SELECT current_stage, score FROM leads WHERE lead_id = 'L-p'`)).toEqual([{ current_stage: 'MQL', score: 71 }]);
    expect(await readModel.query(`SELECT projection, event_id, position FROM dead_letters ORDER BY projection, event_id`)).toEqual([
      { projection: 'clickhouse', event_id: 'dl-poison', position: '3' },
      { projection: 'clickhouse', event_id: scored.id, position: '2' },
      { projection: 'postgres', event_id: 'dl-poison', position: '3' },
    ]);
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toMatch(/funnel_projection_dead_letters_total\{projection="clickhouse"\} 2\b/);
    expect(metrics).toMatch(/funnel_projection_dead_letters_pending\{projection="postgres"\} 1\b/);

    // A restart does not forget them: the figures come from the store, not from memory.
    await clickhouse.command(createScores);
    await app.close();
    app = await startStandalone(loadConfig({ SLA_CHECK_SECONDS: '0', PORT: '0', DATA_DIR: dataDir }));
    const afterRestart = await (await fetch(`${app.url}/metrics`)).text();
    expect(afterRestart).toMatch(/funnel_projection_dead_letters_total\{projection="clickhouse"\} 2\b/);
    expect(afterRestart).toMatch(/funnel_projection_dead_letters_pending\{projection="clickhouse"\} 2\b/);
    const status: any = await (await fetch(`${app.url}/v1/status`)).json();
    expect(status.projections.map((p: any) => p.deadLetters)).toEqual([1, 2]);

    // The fix is in; then, with the server stopped (embedded stores belong to one process), the replay.
    await app.close();
    app = undefined;
    const pending = await runCommand('funnel', ['dead-letters', 'list', '--projection', 'clickhouse'], { DATA_DIR: dataDir });
    expect(pending.code).toBe(0);
    expect(pending.output).toMatch(new RegExp(`^clickhouse +2 +${scored.id} +LeadScored +\\S+Z +Table funnel.lead_scores does not exist`, 'm'));
    expect(pending.output).toMatch(/^clickhouse +3 +dl-poison +LeadTeleported /m);
    expect(pending.output).toContain('2 pending');
    const replay = await runCommand('dead-letters:replay', ['--projection', 'clickhouse'], { DATA_DIR: dataDir });
    expect(replay.output).toContain('clickhouse: replayed 1 dead letter(s); 1 failed again');
    expect(replay.code).toBe(1);
    const left = await runCommand('funnel', ['dead-letters', 'list'], { DATA_DIR: dataDir });
    // Oldest first: the two projections parked it in either order.
    expect(left.output.match(/^\w+(?= +3 +dl-poison )/gm)?.sort()).toEqual(['clickhouse', 'postgres']);

    const rt = await openRuntime(loadConfig({ DATA_DIR: dataDir }));
    try {
      expect(await rt.clickhouse.query(`SELECT score FROM lead_scores FINAL`)).toEqual([{ score: 71 }]);
      expect(
        await rt.readModel.query(
          `SELECT projection, event_id, replayed_at IS NOT NULL AS replayed FROM dead_letters ORDER BY projection, event_id`,
        ),
      ).toEqual([
        { projection: 'clickhouse', event_id: 'dl-poison', replayed: false },
        { projection: 'clickhouse', event_id: scored.id, replayed: true },
        { projection: 'postgres', event_id: 'dl-poison', replayed: false },
      ]);
    } finally {
      await rt.close();
    }
  }, 240_000);
});
