import type { AppConfig } from '@funnel/config';
import { listenHttp, openRuntime, type RunningApp } from '@funnel/runtime';
import { IngestApiRootModule } from './ingest-api.root.module';

/** Starts the ingest API alone: it validates and appends to the log, and never reads the facts. */
export async function startIngestApi(config: AppConfig, log: (line: string) => void = () => {}): Promise<RunningApp> {
  const runtime = await openRuntime(config, { app: 'ingest-api', clickhouse: false, log });
  try {
    const http = await listenHttp(IngestApiRootModule.register(runtime), config);
    return {
      url: http.url,
      runtime,
      serves: 'POST /v1/events, GET /v1/status, /health, /metrics',
      async close() {
        await http.close();
        await runtime.close();
      },
    };
  } catch (e) {
    await runtime.close();
    throw e;
  }
}
