import { Module, type DynamicModule } from '@nestjs/common';
import { DocsModule } from '@funnel/platform';
import { RuntimeModule, type Runtime } from '@funnel/runtime';
import { REPORTING_API_OPENAPI, ReportingApiModule } from './reporting-api.module';

/** The reporting API's composition root when it runs as its own process. */
@Module({})
export class ReportingApiRootModule {
  static register(runtime: Runtime): DynamicModule {
    return { module: ReportingApiRootModule, imports: [RuntimeModule.register(runtime), ReportingApiModule.register(), DocsModule.register(REPORTING_API_OPENAPI)] };
  }
}
