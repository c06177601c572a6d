import type { AppConfig } from '@funnel/config';
import { listenHttp, openRuntime, type HttpApp, type RunningApp } from '@funnel/runtime';
import { ProjectorModule } from './projector.module';
import { startProjections, type RunningProjections } from './projectors';

/**
 * Starts the projections named by PROJECTIONS as consumers of the log; with Kafka each is a
 * consumer group (`<topic>.<projection>`), so projector processes with the same configuration
 * share the topic's partitions.
 */
export async function startProjector(config: AppConfig, log: (line: string) => void = () => {}): Promise<RunningApp> {
  const runtime = await openRuntime(config, { app: 'projector', clickhouse: config.projections.includes('clickhouse'), log });
  let http: HttpApp | undefined;
  let projections: RunningProjections | undefined;
  try {
    http = await listenHttp(ProjectorModule.register(runtime), config);
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
    serves: `/health and /metrics; projecting ${config.projections.join(', ')}`,
    async close() {
      await running.stop();
      await server.close();
      await runtime.close();
    },
  };
}
