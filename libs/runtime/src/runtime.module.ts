import { CLICKHOUSE } from '@funnel/clickhouse';
import { EVENT_LOG } from '@funnel/event-log';
import { APP_CONFIG, HEALTH_CHECKS, ObservabilityController, READ_MODEL, type HealthChecks } from '@funnel/platform';
import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { Runtime } from './runtime';

/**
 * The infrastructure of one process as Nest providers (config, event log, read model,
 * ClickHouse when open) plus /health over exactly those stores and /metrics. Every app's
 * composition root imports it, so the feature modules never build infrastructure themselves.
 */
@Global()
@Module({})
export class RuntimeModule {
  static register(runtime: Runtime): DynamicModule {
    const { clickhouse } = runtime;
    const checks: HealthChecks = {
      postgres: () => runtime.readModel.query('SELECT 1'),
      ...(clickhouse ? { clickhouse: () => clickhouse.query('SELECT 1') } : {}),
      eventLog: () => runtime.eventLog.acceptedCount(),
    };
    const providers = [
      { provide: APP_CONFIG, useValue: runtime.config },
      { provide: EVENT_LOG, useValue: runtime.eventLog },
      { provide: READ_MODEL, useValue: runtime.readModel },
      ...(clickhouse ? [{ provide: CLICKHOUSE, useValue: clickhouse }] : []),
      { provide: HEALTH_CHECKS, useValue: checks },
    ];
    return {
      module: RuntimeModule,
      controllers: [ObservabilityController],
      providers,
      exports: providers.map((p) => p.provide),
    };
  }
}
