import { Module, type DynamicModule } from '@nestjs/common';
import { DocsModule } from '@funnel/platform';
import { RuntimeModule, type Runtime } from '@funnel/runtime';
import { INGEST_API_OPENAPI, IngestApiModule } from './ingest-api.module';

/** The ingest API's composition root when it runs as its own process. */
@Module({})
export class IngestApiRootModule {
  static register(runtime: Runtime): DynamicModule {
    return { module: IngestApiRootModule, imports: [RuntimeModule.register(runtime), IngestApiModule, DocsModule.register(INGEST_API_OPENAPI)] };
  }
}
