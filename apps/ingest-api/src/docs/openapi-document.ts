import {
  API_KEY_SECURITY_SCHEMES,
  ERROR_SCHEMA,
  ERROR_SCHEMA_NAME,
  OBSERVABILITY_OPENAPI,
  type OpenApiObject,
  type OpenApiPart,
} from '@funnel/platform';
import { INGEST_OPENAPI } from '../ingest/ingest.openapi';
import { STATUS_OPENAPI } from '../status/status.openapi';

/** Where the generated document is committed, relative to the repository root (`npm run openapi`). */
export const OPENAPI_FILE = 'openapi.json';

const DOCS_OPENAPI: OpenApiPart = {
  paths: {
    '/docs': {
      get: {
        operationId: 'docsPage',
        tags: ['operations'],
        summary: 'This document as a readable HTML page',
        responses: { '200': { description: 'HTML.', content: { 'text/html': { schema: { type: 'string' } } } } },
      },
    },
    '/docs/openapi.json': {
      get: {
        operationId: 'openApiDocument',
        tags: ['operations'],
        summary: 'This document (OpenAPI 3.1)',
        responses: { '200': { description: 'The OpenAPI document.', content: { 'application/json': { schema: { type: 'object' } } } } },
      },
    },
  },
};

// Every HTTP endpoint's fragment, declared beside its controller. Add a new endpoint's part here.
const PARTS: readonly OpenApiPart[] = [INGEST_OPENAPI, STATUS_OPENAPI, OBSERVABILITY_OPENAPI, DOCS_OPENAPI];

/** Merges the parts; a path or schema name declared twice is a programming error, named. */
function merge<T>(entries: readonly (readonly [string, T])[], what: string): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [key, value] of entries) {
    if (Object.hasOwn(out, key)) throw new Error(`OpenAPI ${what} ${key} is declared twice`);
    out[key] = value;
  }
  return out;
}

/** The OpenAPI 3.1 document of the HTTP endpoints (GraphQL is described by schema.graphql). */
export function openApiDocument(): OpenApiObject {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Funnel Ledger HTTP API',
      version: '1',
      description:
        'Events in over HTTP; reports out over GraphQL at `POST /graphql` (schema.graphql in the repository). ' +
        'Generated from the code by `npm run openapi`; the event schemas are those of docs/schema/events.schema.json. ' +
        'Times are ISO-8601; business time is `occurredAt`.',
    },
    tags: [
      { name: 'ingest', description: 'Events into the log' },
      { name: 'operations', description: 'Health, metrics and these docs; never behind an API key' },
    ],
    paths: merge(PARTS.flatMap((part) => Object.entries(part.paths)), 'path'),
    components: {
      schemas: merge(
        [[ERROR_SCHEMA_NAME, ERROR_SCHEMA] as const, ...PARTS.flatMap((part) => Object.entries(part.schemas ?? {}))],
        'schema',
      ),
      securitySchemes: API_KEY_SECURITY_SCHEMES,
    },
  };
}

/** The committed file's exact text. */
export function openApiText(): string {
  return `${JSON.stringify(openApiDocument(), null, 2)}\n`;
}
