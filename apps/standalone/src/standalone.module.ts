import { Global, Module, type DynamicModule } from '@nestjs/common';
import { CLICKHOUSE } from '@funnel/clickhouse';
import { EVENT_LOG } from '@funnel/event-log';
import { APP_CONFIG, HEALTH_CHECKS, ObservabilityController, READ_MODEL, type HealthChecks } from '@funnel/platform';
import { IngestApiModule } from '../../ingest-api/src/ingest-api.module';
import { ReportingApiModule } from '../../reporting-api/src/reporting-api.module';
import type { Runtime } from './runtime';

/**
 * Embedded mode's composition root: ingest and reporting in one Nest app over one runtime.
 * It is the one place that imports other apps; they never import each other.
 */
@Global()
@Module({})
export class StandaloneModule {
  static register(runtime: Runtime): DynamicModule {
    const checks: HealthChecks = {
      postgres: () => runtime.readModel.query('SELECT 1'),
      clickhouse: () => runtime.clickhouse.query('SELECT 1'),
      eventLog: () => runtime.eventLog.acceptedCount(),
    };
    const providers = [
      { provide: APP_CONFIG, useValue: runtime.config },
      { provide: EVENT_LOG, useValue: runtime.eventLog },
      { provide: READ_MODEL, useValue: runtime.readModel },
      { provide: CLICKHOUSE, useValue: runtime.clickhouse },
      { provide: HEALTH_CHECKS, useValue: checks },
    ];
    return {
      module: StandaloneModule,
      imports: [IngestApiModule, ReportingApiModule.register()],
      controllers: [ObservabilityController],
      providers,
      exports: providers.map((p) => p.provide),
    };
  }
}
