import type { FunnelEvent } from '@funnel/contracts';
import { subjectOf } from '@funnel/contracts';
import { poolOf } from '@funnel/persistence';
import { chunks, now, perSecond, progress, ratioOf, timed, type ScenarioResult, TARGETS } from '../common';
import { INGEST_BATCH, post, visibleEverywhere, type EmbeddedServer } from './embedded-server';

/**
 * Events posted as NDJSON batches of 10,000, one after another (a CRM backfill), from the first
 * POST until both read models show them, against the raw INSERT of the same rows into a copy of
 * the log table in the same database. Targets: >= 15,000 events/s and >= 0.5 of the reference.
 */
export async function ingestEmbeddedScenario(server: EmbeddedServer, events: readonly FunnelEvent[]): Promise<ScenarioResult> {
  const app = server.app!;
  const tick = progress('ingesting', events.length);
  const t0 = now();
  let accepted = 0;
  for (const batch of chunks(events, INGEST_BATCH)) {
    accepted += await post(app.url, batch);
    server.posted.push(...batch);
    tick(accepted);
  }
  const durableMs = now() - t0;
  await visibleEverywhere(app.url, accepted, 50);
  const visibleMs = now() - t0;

  // The reference, with the server idle: the database write alone.
  const pool = poolOf(app.runtime.readModel);
  await pool.query('CREATE TABLE bench_scratch (LIKE event_log INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING INDEXES)');
  const params = chunks(events, INGEST_BATCH).map(insertParams);
  const raw = await timed(async () => {
    for (const p of params) await pool.query(SCRATCH_INSERT_SQL, p);
  });
  await pool.query('DROP TABLE bench_scratch');

  const value = perSecond(events.length, visibleMs);
  const reference = perSecond(events.length, raw.ms);
  const ratio = ratioOf(value, reference);
  return {
    value,
    unit: 'events/s',
    reference,
    ratio,
    target: TARGETS.ingest_embedded,
    pass: value >= 15_000 && ratio !== null && ratio >= 0.5,
    events: events.length,
    durableInLogPerSecond: perSecond(events.length, durableMs),
  };
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
