#!/usr/bin/env node
// Waits until the Kafka broker serves what the services ask first, through kafkajs, the client
// they use: metadata with a controller, a producer id for an idempotent producer, and a group
// coordinator. A KRaft broker opens its port before all of that is there; a client arriving
// early gets "coordinator is loading" errors that kafkajs retries but logs as errors.
// Usage: node probe.js BROKER [--timeout SECONDS] [--pid PID]
// Exits 0 when ready; 1 on timeout, or at once if the watched broker process PID exits.
'use strict';

const args = process.argv.slice(2);
const broker = args[0] ?? '127.0.0.1:9092';
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i === -1 ? fallback : args[i + 1];
};
const timeoutMs = Number(option('--timeout', '90')) * 1000;
const pid = option('--pid', undefined);

let kafkajs;
try {
  // Resolved from the repository's node_modules, wherever this is run from.
  kafkajs = require(require.resolve('kafkajs', { paths: [process.cwd(), __dirname] }));
} catch {
  console.error('kafkajs is not installed: run `npm ci` in the repository first');
  process.exit(1);
}

const { Kafka, logLevel } = kafkajs;
const alive = () => {
  if (pid === undefined) return true;
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch {
    return false;
  }
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no attempt';
  while (Date.now() < deadline) {
    if (!alive()) {
      console.error(`broker process ${pid} exited before it was ready`);
      return 1;
    }
    // A fresh client per attempt, with kafkajs's own retries off: this loop is the retry.
    const kafka = new Kafka({
      clientId: 'funnel-ledger-probe',
      brokers: [broker],
      connectionTimeout: 1000,
      requestTimeout: 2000,
      retry: { retries: 0 },
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    // kafkajs refuses an idempotent producer without retries; one is enough for this check.
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, retry: { retries: 1, initialRetryTime: 100 } });
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      // A controller id of -1 means the broker is up but not yet registered with the quorum.
      if (cluster.brokers.length > 0 && cluster.controller !== null && cluster.controller >= 0) {
        await producer.connect(); // InitProducerId: the broker has its producer id block
        await admin.describeGroups(['funnel-ledger-probe']); // FindCoordinator: offsets topic loaded
        return 0;
      }
      lastError = `metadata without a controller: ${JSON.stringify(cluster)}`;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    } finally {
      await producer.disconnect().catch(() => undefined);
      await admin.disconnect().catch(() => undefined);
    }
    await sleep(250);
  }
  console.error(`kafka at ${broker} not ready after ${timeoutMs / 1000} s: ${lastError}`);
  return 1;
}

main().then((code) => process.exit(code));
