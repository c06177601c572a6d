import { Module, type DynamicModule } from '@nestjs/common';
import { DocsController, OPENAPI_DOCUMENT } from './docs.controller';
import { openApiDocument } from './openapi-document';
import type { OpenApiPart } from './openapi';

/** Serves /docs for the endpoints a composition root serves; it passes their OpenAPI parts. */
@Module({})
export class DocsModule {
  static register(parts: readonly OpenApiPart[]): DynamicModule {
    return {
      module: DocsModule,
      controllers: [DocsController],
      providers: [{ provide: OPENAPI_DOCUMENT, useValue: openApiDocument(parts) }],
    };
  }
}
