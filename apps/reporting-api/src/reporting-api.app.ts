import type { AppConfig } from '@funnel/config';
import { openRuntime, startApp, type RunningApp } from '@funnel/runtime';
import { ReportingApiRootModule } from './reporting-api.root.module';

/**
 * Starts the GraphQL API alone over both read models. It holds the log too: `status` reads the
 * projections' progress there, and the definition mutations append to it.
 */
export async function startReportingApi(config: AppConfig, log: (line: string) => void = () => {}): Promise<RunningApp> {
  const runtime = await openRuntime(config, { app: 'reporting-api', log });
  return startApp(runtime, config, {
    root: (rt) => ReportingApiRootModule.register(rt),
    serves: 'dashboard at /, GraphQL at /graphql, report URLs at /v1/reports, /health, /metrics',
  });
}
