import { subjectOf, type FunnelEvent } from '@funnel/contracts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// libs/testing is not part of the build; relative imports compile just these files into dist.
import { startChdbHttpServer } from '../../libs/testing/src/chdb-http-server';
import { spawnApp, type SpawnedApp } from '../../libs/testing/src/spawn-app';
import { realPostgresSchema } from '../../libs/testing/src/test-databases';
import { kafkaModeEnv, testKafka } from '../../libs/testing/src/test-kafka';
import { chunks, now, perSecond, progress, ratioOf, timed, type ScenarioResult, TARGETS } from '../common';
import { INGEST_BATCH, post, visibleEverywhere } from './embedded-server';

/**
 * Kafka mode, three processes (the built ingest-api, projector and reporting-api) on the local
 * broker, a topic and PostgreSQL schema of this run, and ClickHouse behind the chdb HTTP server
 * in this process: events/s from the first POST until both read models show them, against a
 * raw kafkajs produce of the same messages. Target: >= 20,000 events/s.
 */
export async function ingestKafkaScenario(events: readonly FunnelEvent[]): Promise<ScenarioResult> {
  const dir = await mkdtemp(join(tmpdir(), 'funnel-bench-kafka-'));
  const shim = await startChdbHttpServer({ dataDir: dir });
  const db = await realPostgresSchema('bench');
  const kafka = await testKafka('funnel.events.bench');
  const apps: SpawnedApp[] = [];
  try {
    const env = kafkaModeEnv(kafka, db.schemaUrl as string, `${shim.url}/funnel`);
    const ingest = await spawnApp('ingest-api', env);
    apps.push(ingest);
    apps.push(...(await Promise.all([spawnApp('projector', env), spawnApp('reporting-api', env)])));

    const tick = progress('ingesting (Kafka)', events.length);
    const t0 = now();
    let accepted = 0;
    for (const batch of chunks(events, INGEST_BATCH)) {
      accepted += await post(ingest.url, batch);
      tick(accepted);
    }
    const durableMs = now() - t0;
    await visibleEverywhere(ingest.url, accepted, 50);
    const visibleMs = now() - t0;

    // The reference topic has the log topic's partitions (the broker does not create topics on use).
    const rawTopic = `${kafka.topic}.raw`;
    const [log] = (await kafka.admin.fetchTopicMetadata({ topics: [kafka.topic] })).topics;
    await kafka.admin.createTopics({ topics: [{ topic: rawTopic, numPartitions: log.partitions.length }], waitForLeaders: true });
    const producer = kafka.kafka.producer();
    await producer.connect();
    const messages = chunks(events, INGEST_BATCH).map((batch) => batch.map((e) => ({ key: subjectOf(e).id, value: JSON.stringify(e) })));
    const raw = await timed(async () => {
      for (const batch of messages) await producer.send({ topic: rawTopic, messages: batch });
    });
    await producer.disconnect();

    const value = perSecond(events.length, visibleMs);
    const reference = perSecond(events.length, raw.ms);
    return {
      value,
      unit: 'events/s',
      reference,
      ratio: ratioOf(value, reference),
      target: TARGETS.ingest_kafka,
      pass: value >= 20_000,
      events: events.length,
      durableInLogPerSecond: perSecond(events.length, durableMs),
    };
  } finally {
    await Promise.all(apps.map((a) => a.stop()));
    await kafka.close();
    await db.close();
    await shim.close();
    await rm(dir, { recursive: true, force: true });
  }
}
