import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// libs/testing is not part of the build; relative imports compile just these files into dist.
import { generateFunnelEvents } from '../libs/testing/src/event-generator';
import { spawnApp, type SpawnedApp } from '../libs/testing/src/spawn-app';
import { realPostgresSchema } from '../libs/testing/src/test-databases';
import { testKafka } from '../libs/testing/src/test-kafka';

function option(argv: readonly string[], name: string, fallback: number): number {
  const i = argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer`);
  return value;
}

/**
 * `npm run bench:kafka [-- --events 50000 --batch 5000]`: the end-to-end rate of distributed mode
 * on this machine, from the first POST to a separate ingest process until both projections of a
 * separate projector process have caught up (GET /v1/status: lag 0). On the local broker
 * (`npm run infra:up`) and the PostgreSQL server of the tests (TEST_DATABASE_URL), in a topic and
 * schema of its own that it removes afterwards; the projector's ClickHouse is embedded chdb.
 */
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const total = option(argv, 'events', 50_000);
  const batch = option(argv, 'batch', 5_000);
  const events = generateFunnelEvents({ leads: Math.ceil(total / 5), seed: 9, prefix: 'rate' }).slice(0, total);
  if (events.length < total) throw new Error(`the generator gave only ${events.length} events`);

  const dataDir = mkdtempSync(join(tmpdir(), 'funnel-rate-'));
  const db = await realPostgresSchema('rate');
  const kafka = await testKafka('funnel.events.rate');
  const env = {
    PORT: '0',
    EVENT_LOG: 'kafka',
    KAFKA_BROKERS: kafka.brokers.join(','),
    KAFKA_TOPIC: kafka.topic,
    DATABASE_URL: db.schemaUrl as string,
    DATA_DIR: dataDir,
  };
  const apps: SpawnedApp[] = [];
  try {
    apps.push(await spawnApp('ingest-api', env), await spawnApp('projector', env));
    const [ingest] = apps;
    console.log(`${events.length} events in NDJSON batches of ${batch}; ingest and projector (postgres, clickhouse) as separate processes`);

    const started = performance.now();
    for (let i = 0; i < events.length; i += batch) {
      const res = await fetch(`${ingest.url}/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson' },
        body: events.slice(i, i + batch).map((e) => JSON.stringify(e)).join('\n'),
      });
      if (res.status !== 202) throw new Error(`POST answered ${res.status}: ${await res.text()}`);
    }
    const ingested = performance.now() - started;
    const caughtUp = new Map<string, number>();
    while (caughtUp.size < 2) {
      const status = (await (await fetch(`${ingest.url}/v1/status`)).json()) as { projections: { name: string; lag: number; processed: number }[] };
      for (const p of status.projections) {
        if (p.lag === 0 && p.processed >= events.length && !caughtUp.has(p.name)) caughtUp.set(p.name, performance.now() - started);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    const rate = (ms: number) => Math.round(events.length / (ms / 1000)).toLocaleString('en-US');
    console.log(`POST /v1/events, all ${events.length} durable on the topic: ${ingested.toFixed(0)} ms = ${rate(ingested)} events/s`);
    for (const [name, ms] of caughtUp) console.log(`projection ${name} caught up: ${ms.toFixed(0)} ms = ${rate(ms)} events/s`);
    const end = Math.max(...caughtUp.values());
    console.log(`end to end (first POST to both projections caught up): ${rate(end)} events/s`);
  } finally {
    await Promise.all(apps.map((app) => app.stop()));
    await kafka.close();
    await db.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
