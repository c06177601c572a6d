import { loadConfig } from '@funnel/config';
import { openApiDocument } from '@funnel/platform';
import { expectEventually } from '@funnel/testing';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  type GraphQLField,
  type GraphQLInputType,
} from 'graphql';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STANDALONE_OPENAPI } from '../apps/standalone/src/standalone.module';
import { startStandalone, type StandaloneApp } from '../apps/standalone/src/standalone.app';

/**
 * Access (DESIGN §8) over the real embedded server: every HTTP route and every GraphQL query and
 * mutation against every role, signers, the writer of each event, security headers, rate limits
 * and a 413 that keeps its connection.
 */
const SECRETS = {
  crm: 'crm-secret-0123456789',
  bi: 'bi-secret-0123456789',
  mia: 'mia-secret-0123456789',
  sam: 'sam-secret-0123456789',
  burst: 'burst-secret-0123456789',
};
const RATE_LIMIT = 200;
type Caller = 'none' | 'ingest' | 'analyst' | 'admin';
const CALLERS: readonly Caller[] = ['none', 'ingest', 'analyst', 'admin'];
const SECRET_OF: Record<Caller, string | undefined> = { none: undefined, ingest: SECRETS.crm, analyst: SECRETS.bi, admin: SECRETS.mia };

const at = '2026-03-02T10:15:00Z';
const lead = (id: string) => ({ id, type: 'LeadCaptured', occurredAt: at, data: { leadId: `L-${id}` } });

describe('access: roles, signers, writers, headers, limits', () => {
  let app: StandaloneApp;
  let dataDir: string;
  let counter = 0;

  const headersOf = (secret: string | undefined, extra: Record<string, string> = {}) => ({
    ...(secret ? { authorization: `Bearer ${secret}` } : {}),
    ...extra,
  });
  const gql = async (secret: string | undefined, query: string, variables?: object) => {
    const res = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: headersOf(secret, { 'content-type': 'application/json' }),
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'funnel-access-'));
    app = await startStandalone(
      loadConfig({
        PORT: '0',
        DATA_DIR: dataDir,
        API_KEYS: `crm:ingest:${SECRETS.crm},bi:analyst:${SECRETS.bi},mia:admin:${SECRETS.mia},sam:admin:${SECRETS.sam},burst:analyst:${SECRETS.burst}`,
        SIGNERS: 'mia:MARKETING,sam:SALES',
        RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT),
      }),
    );
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  describe('the role x HTTP route matrix', () => {
    const from = '2026-01-01T00:00:00Z';
    const to = '2026-12-01T00:00:00Z';
    /** Every route, how to call it, and who may: 'public', 'caller' (any key) or the roles. */
    const ROUTES: { path: string; method: string; call: () => RequestInit & { url: string }; who: 'public' | 'caller' | Caller[] }[] = [
      {
        path: '/v1/events',
        method: 'post',
        call: () => ({ url: '/v1/events', method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ events: [lead(`m-${++counter}`)] }) }),
        who: ['ingest'],
      },
      {
        path: '/v1/import',
        method: 'post',
        call: () => ({ url: '/v1/import', method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mapping: {}, csv: '' }) }),
        who: ['ingest'],
      },
      { path: '/v1/status', method: 'get', call: () => ({ url: '/v1/status' }), who: 'caller' },
      // An unknown lead: the admin gets its 404, everyone else is stopped before the lookup.
      { path: '/v1/leads/{id}/erase', method: 'post', call: () => ({ url: '/v1/leads/L-nobody/erase', method: 'POST' }), who: ['admin'] },
      // An unknown event: the admin gets its 404, everyone else is stopped before the lookup.
      {
        path: '/v1/events/{id}/retract',
        method: 'post',
        call: () => ({ url: '/v1/events/E-nobody/retract', method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'x' }) }),
        who: ['admin'],
      },
      { path: '/v1/reports/{query}.{format}', method: 'get', call: () => ({ url: `/v1/reports/funnel.json?from=${from}&to=${to}` }), who: ['analyst', 'admin'] },
      { path: '/health', method: 'get', call: () => ({ url: '/health' }), who: 'public' },
      { path: '/metrics', method: 'get', call: () => ({ url: '/metrics' }), who: 'caller' },
      { path: '/docs', method: 'get', call: () => ({ url: '/docs' }), who: 'public' },
      { path: '/docs/openapi.json', method: 'get', call: () => ({ url: '/docs/openapi.json' }), who: 'public' },
      // Not in the OpenAPI document: the dashboard's files, which hold no data.
      { path: '/', method: 'get', call: () => ({ url: '/' }), who: 'public' },
      { path: '/dashboard/{file}', method: 'get', call: () => ({ url: '/dashboard/dashboard.js' }), who: 'public' },
    ];

    it('lists every documented route', () => {
      const documented = Object.entries((openApiDocument(STANDALONE_OPENAPI) as any).paths).flatMap(([path, ops]) => Object.keys(ops as object).map((m) => `${m} ${path}`));
      expect(ROUTES.map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining(documented));
    });

    for (const route of ROUTES) {
      for (const caller of CALLERS) {
        const allowed = route.who === 'public' || (caller !== 'none' && (route.who === 'caller' || route.who.includes(caller)));
        const expected = allowed ? 'allowed' : caller === 'none' ? 401 : 403;
        it(`${route.method.toUpperCase()} ${route.path} as ${caller}: ${expected}`, async () => {
          const { url, ...init } = route.call();
          const res = await fetch(`${app.url}${url}`, { ...init, headers: { ...(init.headers as object), ...headersOf(SECRET_OF[caller]) } });
          if (allowed) {
            expect([401, 403]).not.toContain(res.status);
            return;
          }
          expect(res.status).toBe(expected);
          expect(res.headers.get('content-type')).toMatch(/^application\/json/);
          const body = await res.json();
          if (expected === 401) {
            expect(body).toEqual({ error: 'UNAUTHORIZED', message: expect.stringMatching(/API key is required/) });
          } else {
            const required = (route.who as Caller[])[0];
            expect(body).toEqual({ error: 'FORBIDDEN', message: expect.stringContaining(`needs the ${required} role`), required });
          }
        });
      }
    }
  });

  describe('the role x GraphQL operation matrix', () => {
    const schema = buildSchema(readFileSync(join(__dirname, '../schema.graphql'), 'utf8'));

    /** A literal for a required argument that passes validation, so the request reaches the resolver. */
    const literal = (type: GraphQLInputType): string => {
      if (isNonNullType(type)) return literal(type.ofType);
      if (isListType(type)) return '[]';
      if (isEnumType(type)) return type.getValues()[0].name;
      if (isInputObjectType(type)) {
        const fields = Object.values(type.getFields()).filter((f) => isNonNullType(f.type));
        return `{ ${fields.map((f) => `${f.name}: ${literal(f.type)}`).join(', ')} }`;
      }
      const scalars: Record<string, string> = { DateTime: `"${at}"`, Int: '1', Float: '1', Boolean: 'true', String: '"x"', ID: '"x"' };
      return scalars[type.name];
    };
    const operation = (kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>): string => {
      const args = field.args.filter((a) => isNonNullType(a.type)).map((a) => `${a.name}: ${literal(a.type)}`);
      const selection = isLeafType(getNamedType(field.type)) ? '' : ' { __typename }';
      return `${kind} { ${field.name}${args.length > 0 ? `(${args.join(', ')})` : ''}${selection} }`;
    };
    const fields = [
      ...Object.values(schema.getQueryType()!.getFields()).map((f) => ({ kind: 'query' as const, f, who: ['analyst', 'admin'] })),
      ...Object.values(schema.getMutationType()!.getFields()).map((f) => ({ kind: 'mutation' as const, f, who: ['admin'] })),
    ];

    it('covers queries and mutations', () => {
      expect(fields.filter((x) => x.kind === 'mutation').map((x) => x.f.name)).toContain('signOffFunnelDefinition');
      expect(fields.length).toBeGreaterThan(20);
    });

    for (const { kind, f, who } of fields) {
      for (const caller of CALLERS) {
        const allowed = who.includes(caller);
        const expected = allowed ? 'allowed' : caller === 'none' ? 'HTTP 401' : 'FORBIDDEN';
        it(`${kind} ${f.name} as ${caller}: ${expected}`, async () => {
          const { status, body } = await gql(SECRET_OF[caller], operation(kind, f));
          const codes = (body.errors ?? []).map((e: any) => e.extensions?.code);
          if (allowed) {
            expect(status).not.toBe(401);
            expect(codes).not.toContain('FORBIDDEN');
            expect(codes).not.toContain('UNAUTHENTICATED');
          } else if (caller === 'none') {
            expect(status).toBe(401);
            expect(body).toEqual({ errors: [{ message: expect.stringMatching(/API key is required/), extensions: { code: 'UNAUTHENTICATED' } }] });
          } else {
            expect(body.errors).toEqual([
              expect.objectContaining({ message: expect.stringContaining(`needs the ${who[0]} role`), extensions: { code: 'FORBIDDEN', required: who[0] } }),
            ]);
            expect(JSON.stringify(body)).not.toMatch(/stacktrace|\bat \w+ \(/);
          }
        });
      }
    }
  });

  describe('sign-offs by the authenticated caller, for the team SIGNERS names', () => {
    const DRAFT = 'id signOffs { team by } missingSignOffs';
    const signOff = (secret: string, draftId: string, team: string, by?: string) =>
      gql(secret, `mutation($d: ID!, $t: Team!, $by: String) { signOffFunnelDefinition(draftId: $d, team: $t, by: $by) { ${DRAFT} } }`, { d: draftId, t: team, by });

    it('records each sign-off as its key, refuses the other team and another name, and publishes with two people', async () => {
      const created = await gql(SECRETS.mia, `mutation { createFunnelDefinitionDraft(input: { name: "Signed", mqlMinScore: 70 }) { ${DRAFT} } }`);
      const draftId = created.body.data.createFunnelDefinitionDraft.id;

      const wrongTeam = await signOff(SECRETS.mia, draftId, 'SALES');
      expect(wrongTeam.body.errors[0]).toMatchObject({ message: expect.stringMatching(/"mia" may not sign for SALES: SIGNERS lists "sam"/), extensions: { code: 'FORBIDDEN', field: 'team' } });
      const forged = await signOff(SECRETS.sam, draftId, 'SALES', 'mia');
      expect(forged.body.errors[0]).toMatchObject({ extensions: { code: 'FORBIDDEN', field: 'by' } });
      const analyst = await signOff(SECRETS.bi, draftId, 'MARKETING');
      expect(analyst.body.errors[0].extensions.code).toBe('FORBIDDEN');

      expect((await signOff(SECRETS.mia, draftId, 'MARKETING', 'mia')).body.data.signOffFunnelDefinition.signOffs).toEqual([{ team: 'MARKETING', by: 'mia' }]);
      expect((await signOff(SECRETS.sam, draftId, 'SALES')).body.data.signOffFunnelDefinition.missingSignOffs).toEqual([]);
      const published = await gql(SECRETS.sam, `mutation($d: ID!) { publishFunnelDefinition(draftId: $d) { version signOffs { team by } } }`, { d: draftId });
      expect(published.body.data.publishFunnelDefinition.signOffs).toEqual([
        { team: 'MARKETING', by: 'mia' },
        { team: 'SALES', by: 'sam' },
      ]);
      const written = await app.runtime.readModel.query(`SELECT type, written_by FROM event_log WHERE data->>'draftId' = $1 ORDER BY position`, [draftId]);
      expect(written).toEqual([
        { type: 'FunnelDefinitionDrafted', written_by: 'mia' },
        { type: 'FunnelDefinitionSignedOff', written_by: 'mia' },
        { type: 'FunnelDefinitionSignedOff', written_by: 'sam' },
        { type: 'FunnelDefinitionPublished', written_by: 'sam' },
      ]);
    });
  });

  it('records the key that wrote each event in the log, beside the request id', async () => {
    const res = await fetch(`${app.url}/v1/events`, {
      method: 'POST',
      headers: headersOf(SECRETS.crm, { 'content-type': 'application/json', 'x-request-id': 'req-writer' }),
      body: JSON.stringify({ events: [lead('w-1'), lead('w-2')] }),
    });
    expect(res.status).toBe(202);
    const rows = await app.runtime.readModel.query(`SELECT event_id, written_by, request_id FROM event_log WHERE event_id IN ('w-1', 'w-2') ORDER BY event_id`);
    expect(rows).toEqual([
      { event_id: 'w-1', written_by: 'crm', request_id: 'req-writer' },
      { event_id: 'w-2', written_by: 'crm', request_id: 'req-writer' },
    ]);
  });

  it('sends security headers and no X-Powered-By', async () => {
    for (const path of ['/health', '/', '/v1/status']) {
      const res = await fetch(`${app.url}${path}`, { headers: headersOf(SECRETS.bi) });
      expect(res.headers.get('x-powered-by')).toBeNull();
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(res.headers.get('strict-transport-security')).toMatch(/max-age=/);
      expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    }
    const graphql = await fetch(`${app.url}/graphql`, { method: 'POST', headers: headersOf(SECRETS.bi, { 'content-type': 'application/json' }), body: '{"query":"{ __typename }"}' });
    expect(graphql.headers.get('x-content-type-options')).toBe('nosniff');
    expect(graphql.headers.get('x-powered-by')).toBeNull();
  });

  it(`limits each key to ${RATE_LIMIT} requests a minute: 429 with Retry-After, other keys unaffected`, async () => {
    const statuses: number[] = [];
    for (let i = 0; i <= RATE_LIMIT; i++) statuses.push((await fetch(`${app.url}/metrics`, { headers: headersOf(SECRETS.burst) })).status);
    expect(statuses.slice(0, RATE_LIMIT).every((s) => s === 200)).toBe(true);
    const limited = await fetch(`${app.url}/v1/status`, { headers: headersOf(SECRETS.burst) });
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await limited.json()).toEqual({ error: 'RATE_LIMITED', message: expect.stringContaining(`more than ${RATE_LIMIT} requests per minute`) });
    const graphql = await gql(SECRETS.burst, '{ __typename }');
    expect(graphql).toEqual({ status: 429, body: { errors: [{ message: expect.any(String), extensions: { code: 'RATE_LIMITED' } }] } });
    expect((await fetch(`${app.url}/v1/status`, { headers: headersOf(SECRETS.bi) })).status).toBe(200);
    // /health stays answerable for orchestrators.
    expect((await fetch(`${app.url}/health`, { headers: headersOf(SECRETS.burst) })).status).toBe(200);
  });

  it('answers a body over the limit with 413 and keeps the connection it said it keeps', async () => {
    const { hostname, port } = new URL(app.url);
    const socket = connect(Number(port), hostname);
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    let socketError: Error | undefined;
    socket.on('error', (e) => (socketError = e));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    /** The next complete response (by Content-Length) in what the socket received. */
    const nextResponse = () =>
      expectEventually(() => {
        expect(socketError).toBeUndefined(); // a reset (ECONNRESET) is the bug this guards against
        const end = received.indexOf('\r\n\r\n');
        expect(end).toBeGreaterThan(0);
        const head = received.slice(0, end);
        const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
        expect(received.length).toBeGreaterThanOrEqual(end + 4 + length);
        const response = { head, body: received.slice(end + 4, end + 4 + length) };
        received = received.slice(end + 4 + length);
        return response;
      }, 60_000);

    // Well past the limit, so the server meets the limit with much of the body still to come.
    const size = 40 * 1024 * 1024;
    socket.write(
      `POST /v1/events HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${SECRETS.crm}\r\nContent-Type: application/json\r\nContent-Length: ${size}\r\nConnection: keep-alive\r\n\r\n`,
    );
    const chunk = Buffer.alloc(1024 * 1024, 'x');
    for (let sent = 0; sent < size; sent += chunk.length) {
      const piece = chunk.subarray(0, Math.min(chunk.length, size - sent));
      if (!socket.write(piece)) await new Promise((r) => socket.once('drain', r));
    }
    const tooLarge = await nextResponse();
    expect(tooLarge.head).toMatch(/^HTTP\/1\.1 413/);
    expect(tooLarge.head).toMatch(/connection: keep-alive/i);
    expect(JSON.parse(tooLarge.body)).toMatchObject({ error: 'BODY_TOO_LARGE' });

    socket.write(`GET /health HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n\r\n`);
    expect((await nextResponse()).head).toMatch(/^HTTP\/1\.1 200/);
    await closed;
    expect(socketError).toBeUndefined();
  });
});
