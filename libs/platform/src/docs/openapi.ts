/**
 * OpenAPI 3.1 fragments ("parts"), declared beside the controllers they describe (`*.openapi.ts`)
 * and assembled per composition root by `DocsModule.register(parts)`. Schemas are JSON Schema
 * 2020-12. A new HTTP endpoint adds its part to its app's list (the ingest API's is
 * `INGEST_API_OPENAPI`; another app registers `DocsModule` in its root module with its own list)
 * and that list to `STANDALONE_OPENAPI`, whose document is the committed openapi.json: run
 * `npm run openapi`, and the staleness test holds the file to the code.
 */
export type OpenApiObject = { readonly [key: string]: unknown };
export type OpenApiPaths = { readonly [path: string]: { readonly [method: string]: OpenApiObject } };

export interface OpenApiPart {
  readonly paths: OpenApiPaths;
  readonly schemas?: { readonly [name: string]: OpenApiObject };
}

export const schemaRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** `{ error, message }`: the body of every HTTP error this service returns. */
export const ERROR_SCHEMA_NAME = 'Error';

export const jsonResponse = (description: string, schemaName: string, example?: unknown): OpenApiObject => ({
  description,
  content: { 'application/json': { schema: schemaRef(schemaName), ...(example !== undefined && { example }) } },
});

export const errorResponse = (description: string, example: { error: string; message: string }) =>
  jsonResponse(description, ERROR_SCHEMA_NAME, example);

export const ERROR_SCHEMA: OpenApiObject = {
  type: 'object',
  required: ['error', 'message'],
  properties: {
    error: { type: 'string', description: 'A stable code, e.g. INVALID_JSON, TOO_MANY_EVENTS, UNAUTHORIZED, FORBIDDEN, RATE_LIMITED.' },
    message: { type: 'string', description: 'What is wrong and how to fix it, in words.' },
  },
};
