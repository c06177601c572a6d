import { generateFunnelEvents } from '@funnel/testing';
import { Module } from '@nestjs/common';
import { MODULE_METADATA } from '@nestjs/common/constants';
import { NestFactory } from '@nestjs/core';
import Ajv2020 from 'ajv/dist/2020';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { IngestApiModule } from '../ingest-api.module';
import { DocsController } from './docs.controller';
import { OPENAPI_FILE, openApiDocument, openApiText } from './openapi-document';

const doc = openApiDocument() as any;

describe('openapi.json', () => {
  it('is up to date with the endpoints (run `npm run openapi` after changing them)', () => {
    expect(readFileSync(join(__dirname, '../../../..', OPENAPI_FILE), 'utf8')).toBe(openApiText());
  });

  it('documents the HTTP endpoints', () => {
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/events', '/v1/status', '/health', '/metrics', '/docs', '/docs/openapi.json']));
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
    const result = schemaOf('IngestResult');
    expect(result(post.responses['202'].content['application/json'].example)).toBe(true);
    const status = schemaOf('IngestionStatus');
    expect(status(doc.paths['/v1/status'].get.responses['200'].content['application/json'].example)).toBe(true);
    const health = schemaOf('Health');
    expect(health(doc.paths['/health'].get.responses['503'].content['application/json'].example)).toBe(true);
  });

  it('describe events with the contracts schema: valid ones pass, an unknown field does not', () => {
    const event = schemaOf('Event');
    for (const e of generateFunnelEvents({ leads: 20, seed: 3 })) expect(event(e)).toBe(true);
    expect(event({ id: 'e', type: 'OpportunityWon', occurredAt: '2026-03-02T10:15:00Z', data: { opportunityId: 'O-1', amout: 5 } })).toBe(false);
  });
});

describe('GET /docs', () => {
  @Module({ controllers: [DocsController] })
  class DocsOnly {}

  let app: Awaited<ReturnType<typeof NestFactory.create>>;
  let url: string;
  beforeAll(async () => {
    app = await NestFactory.create(DocsOnly, { logger: false });
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(() => app?.close());

  it('is served by the ingest API (and so by embedded mode)', () => {
    expect(Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, IngestApiModule)).toContain(DocsController);
  });

  it('serves a readable HTML page of every endpoint', async () => {
    const res = await fetch(`${url}/docs`);
    expect([res.status, res.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    const html = await res.text();
    for (const op of ['POST /v1/events', 'GET /v1/status', 'GET /health', 'GET /metrics']) expect(html).toContain(op);
    expect(html).not.toMatch(/<script/i);
  });

  it('serves the OpenAPI document at /docs/openapi.json', async () => {
    const res = await fetch(`${url}/docs/openapi.json`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(doc);
  });
});
