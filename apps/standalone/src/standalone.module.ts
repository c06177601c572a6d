import { Module, type DynamicModule } from '@nestjs/common';
import { DocsModule, type OpenApiPart } from '@funnel/platform';
import { RuntimeModule, type Runtime } from '@funnel/runtime';
import { INGEST_API_OPENAPI, IngestApiModule } from '../../ingest-api/src/ingest-api.module';
import { REPORTING_API_OPENAPI, ReportingApiModule } from '../../reporting-api/src/reporting-api.module';

/**
 * Embedded mode's composition root: ingest and reporting in one Nest app over one runtime.
 * It is the one place that imports other apps; they never import each other.
 */
/** Every HTTP endpoint embedded mode serves: the committed openapi.json (`npm run openapi`). */
export const STANDALONE_OPENAPI: readonly OpenApiPart[] = [...INGEST_API_OPENAPI, ...REPORTING_API_OPENAPI];

@Module({})
export class StandaloneModule {
  static register(runtime: Runtime): DynamicModule {
    return {
      module: StandaloneModule,
      imports: [RuntimeModule.register(runtime), IngestApiModule, ReportingApiModule.register(), DocsModule.register(STANDALONE_OPENAPI)],
    };
  }
}
