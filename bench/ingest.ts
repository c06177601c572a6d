import { loadConfig } from '@funnel/config';
import { subjectOf, type FunnelEvent } from '@funnel/contracts';
import { poolOf } from '@funnel/persistence';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startStandalone } from '../apps/standalone/src/standalone.app';
import { chunks, now, progress, timed } from './common';

export const INGEST_BATCH = 10_000;

export interface IngestResult {
  readonly events: number;
  readonly batches: number;
  /** First POST to last 202: every event durable in the log. */
  readonly ingestMs: number;
  /** First POST to lag 0, per projection (polled every 100 ms). */
  readonly caughtUpMs: Record<string, number>;
  /** Reference: the same rows as one multi-row INSERT per batch into a copy of event_log, same PGlite. */
  readonly rawInsertMs: number;
  /** Reference: JSON.stringify of every event to NDJSON and JSON.parse of every line. */
  readonly jsonRoundTripMs: number;
}

interface Status {
  accepted: number;
  projections: { name: string; processed: number; lag: number }[];
}

/**
 * Starts the embedded product on a temp DATA_DIR, posts `events` as NDJSON batches of 10,000
 * one after another (a CRM backfill), then waits until every projection has lag 0.
 */
export async function ingestBench(events: readonly FunnelEvent[]): Promise<IngestResult> {
  const dataDir = await mkdtemp(join(tmpdir(), 'funnel-bench-ingest-'));
  const app = await startStandalone(loadConfig({ PORT: '0', DATA_DIR: dataDir }));
  try {
    const batches = chunks(events, INGEST_BATCH);
    const bodies = batches.map((b) => b.map((e) => JSON.stringify(e)).join('\n') + '\n');
    const tick = progress('ingesting', events.length);

    const t0 = now();
    let accepted = 0;
    for (const body of bodies) {
      const res = await fetch(`${app.url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body });
      const reply = (await res.json()) as { accepted: number; rejected: unknown[] };
      if (res.status !== 202 || reply.rejected.length > 0) throw new Error(`ingest answered ${res.status}: ${JSON.stringify(reply).slice(0, 500)}`);
      accepted += reply.accepted;
      tick(accepted);
    }
    const ingestMs = now() - t0;
    if (accepted !== events.length) throw new Error(`accepted ${accepted} of ${events.length} events`);

    const caughtUpMs: Record<string, number> = {};
    for (;;) {
      const status = (await (await fetch(`${app.url}/v1/status`)).json()) as Status;
      for (const p of status.projections) if (p.lag === 0 && !(p.name in caughtUpMs)) caughtUpMs[p.name] = now() - t0;
      if (Object.keys(caughtUpMs).length === status.projections.length) break;
      await sleep(100);
    }

    // References, with the server idle: the database write alone, and the JSON work alone.
    const pool = poolOf(app.runtime.readModel);
    await pool.query('CREATE TABLE bench_scratch (LIKE event_log INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING INDEXES)');
    const params = batches.map(insertParams);
    const rawInsert = await timed(async () => {
      for (const p of params) await pool.query(SCRATCH_INSERT_SQL, p);
    });
    await pool.query('DROP TABLE bench_scratch');

    const json = await timed(() => {
      let parsed = 0;
      for (const b of batches) {
        const text = b.map((e) => JSON.stringify(e)).join('\n');
        for (const line of text.split('\n')) parsed += JSON.parse(line) ? 1 : 0;
      }
      return parsed;
    });

    return { events: events.length, batches: batches.length, ingestMs, caughtUpMs, rawInsertMs: rawInsert.ms, jsonRoundTripMs: json.ms };
  } finally {
    await app.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const SCRATCH_INSERT_SQL = `
  INSERT INTO bench_scratch (event_id, type, subject_kind, subject_id, occurred_at, schema_version, source, currency, data)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::integer[],
                       $7::text[], $8::text[], $9::jsonb[])`;

function insertParams(events: readonly FunnelEvent[]): unknown[] {
  const subjects = events.map(subjectOf);
  return [
    events.map((e) => e.id),
    events.map((e) => e.type),
    subjects.map((s) => s.kind),
    subjects.map((s) => s.id),
    events.map((e) => e.occurredAt),
    events.map((e) => e.schemaVersion),
    events.map((e) => e.source ?? null),
    events.map((e) => e.currency ?? null),
    events.map((e) => JSON.stringify(e.data)),
  ];
}
