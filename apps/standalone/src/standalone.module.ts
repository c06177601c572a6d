import { Module, type DynamicModule } from '@nestjs/common';
import { RuntimeModule, type Runtime } from '@funnel/runtime';
import { IngestApiModule } from '../../ingest-api/src/ingest-api.module';
import { ReportingApiModule } from '../../reporting-api/src/reporting-api.module';

/**
 * Embedded mode's composition root: ingest and reporting in one Nest app over one runtime.
 * It is the one place that imports other apps; they never import each other.
 */
@Module({})
export class StandaloneModule {
  static register(runtime: Runtime): DynamicModule {
    return {
      module: StandaloneModule,
      imports: [RuntimeModule.register(runtime), IngestApiModule, ReportingApiModule.register()],
    };
  }
}
