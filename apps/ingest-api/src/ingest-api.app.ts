import type { AppConfig } from '@funnel/config';
import { openRuntime, startApp, type RunningApp } from '@funnel/runtime';
import { IngestApiRootModule } from './ingest-api.root.module';

/** Starts the ingest API alone: it validates and appends to the log, and never reads the facts. */
export async function startIngestApi(config: AppConfig, log: (line: string) => void = () => {}): Promise<RunningApp> {
  const runtime = await openRuntime(config, { app: 'ingest-api', clickhouse: false, log });
  return startApp(runtime, config, {
    root: (rt) => IngestApiRootModule.register(rt),
    serves: 'POST /v1/events, POST /v1/import, GET /v1/status, /health, /metrics, API docs at /docs',
  });
}
