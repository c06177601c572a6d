import { loadConfig } from '@funnel/config';
import { generateFunnelEvents, hostileArbitraries, testClient } from '@funnel/testing';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStandalone, type StandaloneApp } from '../apps/standalone/src/standalone.app';

const { text: hostileText, instant: hostileInstant, number: hostileNumber, value: hostileValue, mutated } = hostileArbitraries();

/**
 * Fuzzing of the public contract (issue 12 item 7): 8,000 generated events over POST /v1/events
 * (JSON and NDJSON) and 2,000 generated argument sets over every GraphQL field. Never a 5xx,
 * never a hang, valid neighbours always accepted, results aligned by index, and /v1/status equal
 * to the sum of the responses. A failure prints fast-check's seed and the shrunk case.
 */
const EVENT_CASES = 8_000;
const GRAPHQL_CASES = 2_000;
/** Far above any answer here: a request that takes this long is a hang. */
const HANG_MS = 30_000;

describe('fuzzing the embedded server', () => {
  let app: StandaloneApp;
  const dataDir = mkdtempSync(join(tmpdir(), 'funnel-fuzz-'));
  const { caughtUp, postEvents } = testClient(() => app.url);
  let acceptedSoFar = 0;

  beforeAll(async () => {
    app = await startStandalone(loadConfig({ SLA_CHECK_SECONDS: '0', PORT: '0', DATA_DIR: dataDir }));
    // A small business to report on, so GraphQL resolvers do real work.
    const seed = await postEvents(generateFunnelEvents({ leads: 80, seed: 12, prefix: 'seed', start: '2026-01-01T00:00:00Z' }));
    expect(seed.status).toBe(202);
    acceptedSoFar += seed.body.accepted;
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function request(path: string, init: RequestInit): Promise<{ status: number; body: any }> {
    const res = await fetch(`${app.url}${path}`, { ...init, signal: AbortSignal.timeout(HANG_MS) });
    const text = await res.text();
    return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
  }

  describe('POST /v1/events', () => {
    // Valid events of every type, from the realistic generator; each case gets a fresh id.
    const templates = generateFunnelEvents({ leads: 6, seed: 5, prefix: 'tpl' }) as unknown as Record<string, unknown>[];
    let nextId = 0;
    const valid = fc.constantFrom(...templates).map((e) => ({ ...e, id: `fz-${++nextId}` }));
    const item = fc.oneof(
      { weight: 3, arbitrary: valid.map((event) => ({ hostile: false, event })) },
      { weight: 2, arbitrary: valid.chain(mutated).map((event) => ({ hostile: true, event })) },
    );
    const batch = fc.record({ items: fc.array(item, { minLength: 1, maxLength: 80, size: 'max' }), ndjson: fc.boolean(), brokenLine: fc.boolean() });

    it(`at least ${EVENT_CASES} generated events: never a 5xx, valid neighbours accepted, results by index`, async () => {
      let cases = 0;
      await fc.assert(
        fc.asyncProperty(batch, async ({ items, ndjson, brokenLine }) => {
          const entries = items.map((i) => ({ line: JSON.stringify(i.event), hostile: i.hostile }));
          // NDJSON admits a line that is not JSON at all; it must cost only itself.
          if (ndjson && brokenLine) entries.splice(Math.floor(entries.length / 2), 0, { line: '{"id": "broken", "type":', hostile: true });
          const lines = entries.map((e) => e.line);
          const body = ndjson ? lines.join('\n') : `{"events":[${lines.join(',')}]}`;
          const res = await request('/v1/events', {
            method: 'POST',
            headers: { 'content-type': ndjson ? 'application/x-ndjson' : 'application/json' },
            body,
          });
          cases += items.length;
          expect([202, 422]).toContain(res.status);
          const { results, rejected, accepted, duplicates } = res.body;
          expect(results).toHaveLength(lines.length);
          results.forEach((r: any, n: number) => {
            expect(r.index).toBe(n);
            if (!entries[n].hostile) expect(r).toEqual({ index: n, id: JSON.parse(lines[n]).id, status: 'accepted' });
          });
          expect(rejected.map((r: any) => r.index)).toEqual(results.filter((r: any) => r.status === 'rejected').map((r: any) => r.index));
          for (const r of rejected) expect(r.errors.length).toBeLessThanOrEqual(20);
          expect(accepted).toBe(results.filter((r: any) => r.status === 'accepted').length);
          expect(duplicates).toBe(results.filter((r: any) => r.status === 'duplicate').length);
          expect(res.status).toBe(rejected.length === lines.length ? 422 : 202);
          acceptedSoFar += accepted;
        }),
        // Batches average 40 events: 270 of them clear EVENT_CASES by several standard deviations.
        { numRuns: 270, endOnFailure: true },
      );
      expect(cases).toBeGreaterThanOrEqual(EVENT_CASES);
    }, 600_000);

    it('/v1/status equals the sum of the responses, and both read models catch up', async () => {
      const s: any = await caughtUp(240_000);
      expect(s.accepted).toBe(acceptedSoFar);
    }, 300_000);
  });

  describe('GraphQL', () => {
    interface TypeRef { kind: string; name: string | null; ofType: TypeRef | null }
    interface Field { name: string; args: { name: string; type: TypeRef }[]; type: TypeRef }
    interface FullType { kind: string; name: string; fields: Field[] | null; inputFields: { name: string; type: TypeRef }[] | null; enumValues: { name: string }[] | null }
    let types: Map<string, FullType>;
    let operations: { operation: 'query' | 'mutation'; field: Field }[];

    beforeAll(async () => {
      const ref = 'kind name ofType { kind name ofType { kind name ofType { kind name } } }';
      const res = await request('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: `{ __schema { queryType { name } mutationType { name } types { kind name
            fields { name type { ${ref} } args { name type { ${ref} } } }
            inputFields { name type { ${ref} } } enumValues { name } } } }`,
        }),
      });
      const schema = res.body.data.__schema;
      types = new Map(schema.types.map((t: FullType) => [t.name, t]));
      operations = [
        ...types.get(schema.queryType.name)!.fields!.map((field) => ({ operation: 'query' as const, field })),
        ...(schema.mutationType ? types.get(schema.mutationType.name)!.fields!.map((field) => ({ operation: 'mutation' as const, field })) : []),
      ];
    });

    const typeText = (t: TypeRef): string => (t.kind === 'NON_NULL' ? `${typeText(t.ofType!)}!` : t.kind === 'LIST' ? `[${typeText(t.ofType!)}]` : t.name!);
    const named = (t: TypeRef): TypeRef => (t.ofType ? named(t.ofType) : t);

    /** A value the argument's type admits, drawn near the edges (dates in the data's years, small counts). */
    function plausible(t: TypeRef, depth = 0): fc.Arbitrary<unknown> {
      if (t.kind === 'NON_NULL') return plausible(t.ofType!, depth);
      if (t.kind === 'LIST') return fc.array(plausible(t.ofType!, depth + 1), { maxLength: 3 });
      const type = types.get(t.name!)!;
      switch (type.kind) {
        case 'ENUM':
          return fc.constantFrom(...type.enumValues!.map((v) => v.name));
        case 'INPUT_OBJECT':
          if (depth > 3) return fc.constant({});
          return fc.record(Object.fromEntries(type.inputFields!.map((f) => [f.name, plausible(f.type, depth + 1)])), {
            requiredKeys: type.inputFields!.filter((f) => f.type.kind === 'NON_NULL').map((f) => f.name),
          });
      }
      switch (t.name) {
        case 'DateTime':
          return fc.date({ min: new Date('2025-06-01T00:00:00Z'), max: new Date('2027-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
        case 'Int':
          return fc.integer({ min: 0, max: 400 });
        case 'Float':
          return fc.double({ min: 0.5, max: 400, noNaN: true });
        case 'Boolean':
          return fc.boolean();
        default:
          return fc.oneof(fc.constantFrom('seed-L1', 'seed-O1', 'seed-c0', 'nobody'), fc.string({ maxLength: 12 }));
      }
    }

    /** Anything JSON can carry, weighted to the classes that once reached an internal error. */
    const hostileFor = (t: TypeRef): fc.Arbitrary<unknown> => {
      const name = named(t).name;
      if (name === 'DateTime') return fc.oneof(hostileInstant, hostileValue);
      if (name === 'Int' || name === 'Float') return fc.oneof(hostileNumber, hostileValue);
      if (name === 'String' || name === 'ID') return fc.oneof(hostileText, hostileValue, base64Cursor);
      return hostileValue;
    };
    const base64Cursor = fc.oneof(fc.jsonValue(), hostileValue).map((v) => Buffer.from(JSON.stringify(v) ?? 'x').toString('base64url'));

    /** A call of one field: each argument plausible, hostile, or left out. */
    const call = () =>
      fc.constantFrom(...operations).chain(({ operation, field }) =>
        fc
          .tuple(...field.args.map((a) => fc.oneof(
            { weight: 3, arbitrary: plausible(a.type).map((v) => ({ set: true, v })) },
            { weight: 1, arbitrary: hostileFor(a.type).map((v) => ({ set: true, v })) },
            { weight: 1, arbitrary: fc.constant({ set: false, v: undefined }) },
          )))
          .map((values) => {
            const args = field.args.filter((_, i) => values[i].set);
            const variables = Object.fromEntries(args.map((a) => [a.name, values[field.args.indexOf(a)].v]));
            const declared = args.map((a) => `$${a.name}: ${typeText(a.type)}`).join(', ');
            const passed = args.map((a) => `${a.name}: $${a.name}`).join(', ');
            const selection = named(field.type).kind === 'OBJECT' ? ' { __typename }' : '';
            const query = `${operation}${declared ? `(${declared})` : ''} { ${field.name}${passed ? `(${passed})` : ''}${selection} }`;
            return { query, variables };
          }),
      );

    it(`${GRAPHQL_CASES} generated calls of every field: never a 5xx or an internal error, never a hang`, async () => {
      await fc.assert(
        fc.asyncProperty(call(), async ({ query, variables }) => {
          const res = await request('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
          expect(res.status).toBeLessThan(500);
          for (const e of res.body.errors ?? []) {
            expect(e.extensions?.code).toBeDefined();
            expect(e.extensions.code).not.toBe('INTERNAL_SERVER_ERROR');
          }
        }),
        { numRuns: GRAPHQL_CASES, endOnFailure: true },
      );
    }, 900_000);
  });
});
