import { DocsModule, OPENAPI_DOCUMENT, openApiDocument, type OpenApiPart } from '@funnel/platform';
import type { Runtime } from '@funnel/runtime';
import { generateFunnelEvents } from '@funnel/testing';
import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import Ajv2020 from 'ajv/dist/2020';
import { readdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { INGEST_API_OPENAPI } from '../../../ingest-api/src/ingest-api.module';
import { IngestApiRootModule } from '../../../ingest-api/src/ingest-api.root.module';
import { REPORTING_API_OPENAPI } from '../../../reporting-api/src/reporting-api.module';
import { ReportingApiRootModule } from '../../../reporting-api/src/reporting-api.root.module';
import { REPORT_TABLES } from '../../../reporting-api/src/report-urls/report-tables';
import { STANDALONE_OPENAPI, StandaloneModule } from '../standalone.module';
import { OPENAPI_FILE, committedOpenApiText } from './openapi-file';

const doc = openApiDocument(STANDALONE_OPENAPI) as any;

describe('openapi.json', () => {
  it('is up to date with the endpoints (run `npm run openapi` after changing them)', () => {
    expect(readFileSync(join(__dirname, '../../../..', OPENAPI_FILE), 'utf8')).toBe(committedOpenApiText());
  });

  it('documents the HTTP endpoints', () => {
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/events', '/v1/status', '/v1/import', '/v1/reports/{query}.{format}', '/health', '/metrics', '/docs', '/docs/openapi.json']));
  });
});

describe('the OpenAPI schemas', () => {
  // The document is the schema resource, so its $refs (#/components/schemas/...) resolve.
  const ajv = new Ajv2020({ strict: true, strictTypes: false, discriminator: true, allErrors: true });
  ajv.addVocabulary(['example', 'openapi', 'info', 'tags', 'paths', 'components', 'schemas', 'securitySchemes']);
  ajv.addSchema({ ...doc, $id: 'openapi.json' });
  const validator = (pointer: string) => ajv.compile({ $ref: `openapi.json#${pointer}` });
  const schemaOf = (name: string) => validator(`/components/schemas/${name}`);

  it('compile, with every $ref resolving', () => {
    for (const name of Object.keys(doc.components.schemas)) expect(() => schemaOf(name)).not.toThrow();
  });

  it('accept the examples they show', () => {
    const post = doc.paths['/v1/events'].post;
    const body = validator('/paths/~1v1~1events/post/requestBody/content/application~1json/schema');
    expect(body(post.requestBody.content['application/json'].example)).toBe(true);
    expect(schemaOf('IngestResult')(post.responses['202'].content['application/json'].example)).toBe(true);
    expect(schemaOf('IngestionStatus')(doc.paths['/v1/status'].get.responses['200'].content['application/json'].example)).toBe(true);
    const importPost = doc.paths['/v1/import'].post;
    const importBody = validator('/paths/~1v1~1import/post/requestBody/content/application~1json/schema');
    expect(importBody(importPost.requestBody.content['application/json'].example)).toBe(true);
    expect(schemaOf('ImportAnswer')(importPost.responses['200'].content['application/json'].example)).toBe(true);
    const report = doc.paths['/v1/reports/{query}.{format}'].get;
    for (const status of ['400', '404']) expect(schemaOf('ReportUrlErrors')(report.responses[status].content['application/json'].example)).toBe(true);
    expect(schemaOf('Health')(doc.paths['/health'].get.responses['503'].content['application/json'].example)).toBe(true);
  });

  it('describe mappings with the mapping schema: the examples pass, a misspelt key does not', () => {
    const mapping = schemaOf('ImportMapping');
    for (const file of readdirSync(join(__dirname, '../../../../examples/olist')).filter((f) => f.endsWith('.mapping.json'))) {
      expect(mapping(JSON.parse(readFileSync(join(__dirname, '../../../../examples/olist', file), 'utf8')))).toBe(true);
    }
    expect(mapping({ name: 'x', key: ['id'], events: [], evnts: [] })).toBe(false);
  });

  it('list every report of the report URLs table', () => {
    const query = doc.paths['/v1/reports/{query}.{format}'].get.parameters.find((p: any) => p.name === 'query');
    expect(query.schema.enum).toEqual(Object.keys(REPORT_TABLES));
  });

  it('describe events with the contracts schema: valid ones pass, an unknown field does not', () => {
    const event = schemaOf('Event');
    for (const e of generateFunnelEvents({ leads: 20, seed: 3 })) expect(event(e)).toBe(true);
    expect(event({ id: 'e', type: 'OpportunityWon', occurredAt: '2026-03-02T10:15:00Z', data: { opportunityId: 'O-1', amout: 5 } })).toBe(false);
  });
});

describe('GET /docs', () => {
  // The composition roots only describe their modules; nothing here opens a store.
  const runtime = {} as Runtime;
  const docsOf = (root: DynamicModule) => {
    const docs = root.imports?.find((m): m is DynamicModule => (m as DynamicModule).module === DocsModule);
    return docs?.providers?.find((p: any) => p.provide === OPENAPI_DOCUMENT) as { useValue: unknown } | undefined;
  };
  const pathsOf = (parts: readonly OpenApiPart[]) => Object.keys((openApiDocument(parts) as any).paths);

  it('is served by embedded mode for every endpoint, and by the ingest and reporting APIs for their own', () => {
    expect(docsOf(StandaloneModule.register(runtime))?.useValue).toEqual(doc);
    expect(docsOf(IngestApiRootModule.register(runtime))?.useValue).toEqual(openApiDocument(INGEST_API_OPENAPI));
    expect(pathsOf(INGEST_API_OPENAPI)).toEqual(expect.arrayContaining(['/v1/events', '/v1/status', '/v1/import', '/health']));
    expect(docsOf(ReportingApiRootModule.register(runtime))?.useValue).toEqual(openApiDocument(REPORTING_API_OPENAPI));
    expect(pathsOf(REPORTING_API_OPENAPI)).toEqual(expect.arrayContaining(['/v1/reports/{query}.{format}', '/health']));
  });

  let app: Awaited<ReturnType<typeof NestFactory.create>>;
  let url: string;
  beforeAll(async () => {
    app = await NestFactory.create(DocsModule.register(STANDALONE_OPENAPI), { logger: false });
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(() => app?.close());

  it('serves a readable HTML page of every endpoint, without scripts', async () => {
    const res = await fetch(`${url}/docs`);
    expect([res.status, res.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    const html = await res.text();
    for (const op of ['POST /v1/events', 'GET /v1/status', 'POST /v1/import', 'GET /v1/reports/{query}.{format}', 'GET /health', 'GET /metrics']) expect(html).toContain(op);
    expect(html).not.toMatch(/<script/i);
  });

  it('serves the OpenAPI document at /docs/openapi.json', async () => {
    const res = await fetch(`${url}/docs/openapi.json`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(doc);
  });
});
