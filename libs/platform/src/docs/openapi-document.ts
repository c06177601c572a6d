import { API_KEY_SECURITY_SCHEMES } from './api-key.openapi';
import { OBSERVABILITY_OPENAPI } from './observability.openapi';
import { ERROR_SCHEMA, ERROR_SCHEMA_NAME, type OpenApiObject, type OpenApiPart } from './openapi';

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

/** Merges the parts; a path or schema name declared twice is a programming error, named. */
function merge<T>(entries: readonly (readonly [string, T])[], what: string): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [key, value] of entries) {
    if (Object.hasOwn(out, key)) throw new Error(`OpenAPI ${what} ${key} is declared twice`);
    out[key] = value;
  }
  return out;
}

/**
 * The OpenAPI 3.1 document of a process's HTTP endpoints: the parts its composition root serves
 * (each declared beside its controller), plus /health, /metrics and these docs, which every
 * process serves. GraphQL is described by schema.graphql instead.
 */
export function openApiDocument(parts: readonly OpenApiPart[]): OpenApiObject {
  const all = [...parts, OBSERVABILITY_OPENAPI, DOCS_OPENAPI];
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
    paths: merge(all.flatMap((part) => Object.entries(part.paths)), 'path'),
    components: {
      schemas: merge([[ERROR_SCHEMA_NAME, ERROR_SCHEMA] as const, ...all.flatMap((part) => Object.entries(part.schemas ?? {}))], 'schema'),
      securitySchemes: API_KEY_SECURITY_SCHEMES,
    },
  };
}

/** A document as committed: 2-space JSON with a final newline. */
export function openApiText(document: OpenApiObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
