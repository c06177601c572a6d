import type { AppConfig } from '@funnel/config';
import { listenHttp, openRuntime, type HttpApp, type RunningApp, type RuntimeWithClickHouse } from '@funnel/runtime';
import { startProjections, type RunningProjections } from '../../projector/src/projectors';
import { StandaloneModule } from './standalone.module';

export interface StandaloneApp extends RunningApp {
  readonly runtime: RuntimeWithClickHouse;
}

/** Builds and starts the whole embedded product; used by main.ts and by the end-to-end tests. */
export async function startStandalone(config: AppConfig, log: (line: string) => void = () => {}): Promise<StandaloneApp> {
  const runtime = await openRuntime(config, { app: 'standalone', log });
  let http: HttpApp | undefined;
  let projections: RunningProjections | undefined;
  try {
    http = await listenHttp(StandaloneModule.register(runtime), config);
    projections = await startProjections(runtime, config.projections);
  } catch (e) {
    await http?.close();
    await runtime.close();
    throw e;
  }
  const [server, running] = [http, projections];
  return {
    url: server.url,
    runtime,
    serves: 'GraphQL at /graphql, ingest at POST /v1/events',
    async close() {
      await running.stop();
      await server.close();
      await runtime.close();
    },
  };
}
