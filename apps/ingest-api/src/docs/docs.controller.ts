import { Controller, Get, Header } from '@nestjs/common';
import type { OpenApiObject } from '@funnel/platform';
import { renderDocsPage } from './docs-page';
import { openApiDocument } from './openapi-document';

/** GET /docs and /docs/openapi.json: the HTTP API's documentation, open like /health. */
@Controller('docs')
export class DocsController {
  private readonly document = openApiDocument();
  private readonly page = renderDocsPage(this.document);

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  html(): string {
    return this.page;
  }

  @Get('openapi.json')
  openApi(): OpenApiObject {
    return this.document;
  }
}
