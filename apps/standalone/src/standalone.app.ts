import type { AppConfig } from '@funnel/config';
import { openRuntime, startApp, type RunningApp, type RuntimeWithClickHouse } from '@funnel/runtime';
import { startProjections } from '../../projector/src/projectors';
import { withSlaChecker } from '../../projector/src/sla-checker/start-sla-checker';
import { StandaloneModule } from './standalone.module';

export interface StandaloneApp extends RunningApp {
  readonly runtime: RuntimeWithClickHouse;
}

/** Builds and starts the whole embedded product; used by main.ts and by the end-to-end tests. */
export async function startStandalone(config: AppConfig, log: (line: string) => void = () => {}): Promise<StandaloneApp> {
  const runtime = await openRuntime(config, { app: 'standalone', log });
  return startApp(runtime, config, {
    root: (rt) => StandaloneModule.register(rt),
    background: (rt) => withSlaChecker(rt, startProjections(rt, config.projections)),
    serves: 'dashboard at /, GraphQL at /graphql, ingest at POST /v1/events, API docs at /docs',
  });
}
