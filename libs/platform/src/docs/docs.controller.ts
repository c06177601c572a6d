import { Controller, Get, Header, Inject } from '@nestjs/common';
import { Access } from '../access/access.guard';
import { renderDocsPage } from './docs-page';
import type { OpenApiObject } from './openapi';

export const OPENAPI_DOCUMENT = Symbol('OPENAPI_DOCUMENT');

/** GET /docs and /docs/openapi.json: the HTTP API's documentation, open like /health. */
@Controller('docs')
@Access('public')
export class DocsController {
  private readonly page: string;

  constructor(@Inject(OPENAPI_DOCUMENT) private readonly document: OpenApiObject) {
    this.page = renderDocsPage(document);
  }

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
