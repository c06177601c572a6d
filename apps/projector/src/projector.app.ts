import type { AppConfig } from '@funnel/config';
import { openRuntime, startApp, type RunningApp } from '@funnel/runtime';
import { ProjectorModule } from './projector.module';
import { startProjections } from './projectors';
import { withSlaChecker } from './sla-checker/start-sla-checker';

/**
 * Starts the projections named by PROJECTIONS as consumers of the log; with Kafka each is a
 * consumer group (`<topic>.<projection>`), so projector processes with the same configuration
 * share the topic's partitions.
 */
export async function startProjector(config: AppConfig, log: (line: string) => void = () => {}): Promise<RunningApp> {
  const runtime = await openRuntime(config, { app: 'projector', clickhouse: config.projections.includes('clickhouse'), log });
  return startApp(runtime, config, {
    root: (rt) => ProjectorModule.register(rt),
    // A projector that writes facts also runs the SLA breach checker (DESIGN §7); several are safe.
    background: (rt) => withSlaChecker(rt, startProjections(rt, config.projections)),
    serves: `/health and /metrics; projecting ${config.projections.join(', ')}`,
  });
}
