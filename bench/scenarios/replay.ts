import { EmbeddedClickHouse } from '@funnel/clickhouse';
import { loadConfig } from '@funnel/config';
import { factsOf, migrateFacts } from '@funnel/facts';
import { isDefinitionEvent } from '@funnel/contracts';
import { openRuntime } from '@funnel/runtime';
import { join } from 'node:path';
import { openDeadLetterStore } from '../../apps/projector/src/dead-letters/open-dead-letter-store';
import { createProjectionRunners } from '../../apps/projector/src/projectors';
import { replayProjection } from '../../apps/projector/src/replay/replay';
import { chunks, perSecond, ratioOf, timed, type ScenarioResult, TARGETS } from '../common';
import type { EmbeddedServer } from './embedded-server';

/**
 * Rebuilds both read models (PostgreSQL and ClickHouse, at once) from the embedded server's log
 * through the ordinary replay path, after the server is closed; the reference writes the same
 * fact rows straight into a fresh ClickHouse database of the same engine. Target: >= 50,000 events/s.
 */
export async function replayScenario(server: EmbeddedServer): Promise<ScenarioResult> {
  await server.app?.close();
  server.app = undefined;
  const runtime = await openRuntime(loadConfig({ LOG_LEVEL: 'warn', DATA_DIR: server.dataDir }), { app: 'replay' });
  const deadLetters = openDeadLetterStore(runtime);
  try {
    const events = await runtime.eventLog.acceptedCount();
    const runners = createProjectionRunners(runtime, ['postgres', 'clickhouse'], deadLetters);
    const rebuilt = await timed(() => Promise.all(runners.map((r) => replayProjection(runtime.eventLog, r, () => {}, 50))));

    const raw = await EmbeddedClickHouse.open(join(server.dataDir, 'clickhouse'), { database: 'bench_raw' });
    let rawMs: number;
    try {
      await migrateFacts(raw);
      const batches = chunks(server.posted, 50_000).map((batch) => {
        const byTable = new Map<string, Record<string, unknown>[]>();
        for (const e of batch) {
          if (isDefinitionEvent(e)) continue;
          for (const { table, row } of factsOf(e)) {
            const rows = byTable.get(table) ?? [];
            rows.push(row);
            byTable.set(table, rows);
          }
        }
        return byTable;
      });
      rawMs = (await timed(async () => {
        for (const byTable of batches) for (const [table, rows] of byTable) await raw.insert(table, rows);
      })).ms;
      await raw.command('DROP DATABASE bench_raw');
    } finally {
      await raw.close();
    }
    const value = perSecond(events, rebuilt.ms);
    const reference = perSecond(server.posted.length, rawMs);
    return {
      value,
      unit: 'events/s',
      reference,
      ratio: ratioOf(value, reference),
      target: TARGETS.replay,
      pass: value >= 50_000,
      events,
      perProjection: Object.fromEntries(runners.map((r, i) => [r.projection.name, rebuilt.result[i].processed])),
    };
  } finally {
    await deadLetters.close();
    await runtime.close();
  }
}
