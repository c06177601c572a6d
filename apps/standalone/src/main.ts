import 'reflect-metadata';
import { ConfigError, loadConfig } from '@funnel/config';
import { startStandalone } from './standalone.app';

async function main() {
  const started = Date.now();
  const config = loadConfig();
  const log = (line: string) => console.log(`[funnel-ledger] ${line}`);
  const app = await startStandalone(config, log);
  log(`listening on ${app.url} (GraphQL at /graphql, ingest at POST /v1/events)`);
  log(`event log + read model: ${app.runtime.locations.postgres}`);
  log(`facts: ${app.runtime.locations.clickhouse}`);
  log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s; Ctrl-C stops`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal} received, shutting down`);
    await app.close();
    log('stopped cleanly');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((e) => {
  console.error(e instanceof ConfigError ? e.message : e);
  process.exit(1);
});
