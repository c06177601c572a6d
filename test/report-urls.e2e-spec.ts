import { loadConfig } from '@funnel/config';
import { generateFunnelEvents, testClient } from '@funnel/testing';
import { parse } from 'csv-parse/sync';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStandalone, type StandaloneApp } from '../apps/standalone/src/standalone.app';
import { NOT_REPORTS, REPORT_TABLES } from '../apps/reporting-api/src/report-urls/report-tables';

const from = '2026-01-01T00:00:00.000Z';
const to = '2026-03-01T00:00:00.000Z';
const asOf = '2026-02-15T00:00:00.000Z';

/** URL parameters per report; every report of REPORT_TABLES must be here (checked below). */
const REPORT_PARAMS: Record<string, Record<string, string | string[]>> = {
  funnel: { from, to, anchor: 'MQL', windowDays: '30', breakdown: 'CHANNEL' },
  cohorts: { from, to, grain: 'WEEK', target: 'SQL', windowDays: '14', asOf },
  velocity: { from, to, fromStage: 'MQL', toStage: 'OPPORTUNITY', breakdown: 'OWNER' },
  attribution: { from, to, model: 'W_SHAPED', milestone: 'WON', by: 'CHANNEL' },
  slaCompliance: { from, to, asOf, breakdown: 'OWNER' },
  stalledOpportunities: { asOf },
  reconciliation: { from, to, breakdown: 'CAMPAIGN' },
  pipelineVelocity: { asOf, trailingDays: '90' },
  campaignPerformance: { from, to, model: 'LINEAR' },
  leadQualityVsHandling: { from, to, breakdown: 'CHANNEL' },
  scoreCalibration: { from, to, bands: '0,50,75' },
  definitionCompliance: { from, to },
  compareDefinitions: { a: '1', b: '1', from, to },
  compareDefinitionDraft: { from, to }, // draftId added once the draft exists
  campaigns: {},
  leads: { from, to, stage: 'MQL' },
  opportunities: { status: 'open' },
  routingCoverage: { from, to, asOf, breakdown: 'OWNER' },
  routingCoverageLeads: { from, to, asOf, list: 'UNASSIGNED' },
  activityVsMovement: { from, to },
  conversionChange: { baseFrom: from, baseTo: '2026-01-20T00:00:00.000Z', from: '2026-01-20T00:00:00.000Z', to, target: 'SQL', by: 'CHANNEL' },
  reviewSample: { weekOf: '2026-01-29T00:00:00.000Z', seed: '3' },
  reviewHistory: { from, to },
  alertDeliveries: { status: 'SKIPPED' },
};

const urlOf = (base: string, name: string, ext: string, params: Record<string, string | string[]>) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const x of [v].flat()) q.append(k, x);
  return `${base}/v1/reports/${name}.${ext}?${q}`;
};

/** A GraphQL selection with exactly the fields of a JSON answer (so both forms can be compared). */
function selectionOf(value: unknown): string {
  const sample = Array.isArray(value) ? value.find((v) => v && typeof v === 'object') : value;
  if (!sample || typeof sample !== 'object') return '';
  // Merge the keys of every item, since a null nested object shows no keys.
  const items = (Array.isArray(value) ? value : [value]).filter((v) => v && typeof v === 'object') as Record<string, unknown>[];
  const keys = [...new Set(items.flatMap((i) => Object.keys(i)))];
  return keys.map((k) => {
    const inner = selectionOf(items.flatMap((i) => [i[k]].flat()).filter((v) => v && typeof v === 'object'));
    return inner ? `${k} { ${inner} }` : k;
  }).join(' ');
}

describe('report URLs: GET /v1/reports/<query>.csv and .json', () => {
  let app: StandaloneApp;
  const dataDir = mkdtempSync(join(tmpdir(), 'funnel-urls-'));
  const events = generateFunnelEvents({ leads: 120, seed: 7 });
  const { gql, data, postEvents, caughtUp } = testClient(() => app.url);

  beforeAll(async () => {
    app = await startStandalone(loadConfig({ SLA_CHECK_SECONDS: '0', PORT: '0', DATA_DIR: dataDir }));
    expect((await postEvents(events)).status).toBe(202);
    await caughtUp();
    // One recorded alert, as the SLA checker (off here, so nothing moves) would have left it.
    await app.runtime.readModel.query(
      `INSERT INTO alert_deliveries (event_id, lead_id, level, deadline, found_at, status, reason, body)
       VALUES ('sla:u-1:BREACHED', 'u-1', 'BREACHED', '2026-01-02T00:00:00Z', '2026-01-03T00:00:00Z', 'SKIPPED', 'ALERT_WEBHOOK_URL is not set', '{}')`,
    );
    const draft = await data(`mutation { createFunnelDefinitionDraft(input: { name: "Stricter", mqlMinScore: 70 }, by: "maria") { id } }`);
    REPORT_PARAMS.compareDefinitionDraft.draftId = draft.createFunnelDefinitionDraft.id;
    // A review meeting for reviewHistory (ADVANCE appends no business event: the other reports stay as they are).
    await data(`mutation { recordReviewDecision(weekOf: "2026-01-29T00:00:00Z", subjectId: "g-L1", decision: ADVANCE, note: "call back") { id } }`);
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('covers every Query field of the schema that is a report', async () => {
    const schema = await data(`{ __schema { queryType { fields { name } } } }`);
    const fields: string[] = schema.__schema.queryType.fields.map((f: { name: string }) => f.name);
    expect(fields.filter((f) => !NOT_REPORTS.includes(f)).sort()).toEqual(Object.keys(REPORT_TABLES).sort());
    expect(Object.keys(REPORT_PARAMS).sort()).toEqual(Object.keys(REPORT_TABLES).sort());
  });

  it.each(Object.keys(REPORT_TABLES))('%s: the .json form is the GraphQL answer and the CSV parses back to it', async (name) => {
    const params = REPORT_PARAMS[name];
    const jsonRes = await fetch(urlOf(app.url, name, 'json', params));
    expect(jsonRes.status).toBe(200);
    const json: any = await jsonRes.json();
    expect(Array.isArray(json.warnings)).toBe(true);

    // The same report through POST /graphql, selecting exactly what the URL form returned.
    const types = await argTypes(name);
    const direct = await gql(`{ ${name}${Object.keys(params).length ? `(${argsLiteral(name, params, types)})` : ''} { ${selectionOf(json.data)} } }`);
    expect(direct.errors).toBeUndefined();
    const directValue = direct.data[name];
    if (name === 'leads' || name === 'opportunities' || name === 'stalledOpportunities' || name === 'routingCoverageLeads') {
      // The URL form without `first` is the default first page.
      expect(json.data.edges).toEqual(directValue.edges);
    } else {
      expect(json.data).toEqual(directValue);
    }

    const csvRes = await fetch(urlOf(app.url, name, 'csv', params));
    expect(csvRes.status).toBe(200);
    expect(csvRes.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csvRes.headers.get('content-disposition')).toBe(`attachment; filename="${name}.csv"`);
    const text = await csvRes.text();
    expect(text.endsWith('\r\n')).toBe(true);
    const rows: Record<string, string>[] = parse(text, { columns: true });
    // A CSV of a connection holds every page; compare with all of GraphQL's pages.
    const full = json.data.edges ? { ...json.data, edges: await allEdges(name, params) } : json.data;
    const expected = flatten(full, REPORT_TABLES[name].rows);
    expect(rows.length).toBe(expected.length);
    rows.forEach((row, i) => {
      for (const column of Object.keys(row)) {
        const field = column.includes('.') ? column.split('.').pop()! : column;
        const want = expected[i][column] ?? expected[i][field];
        expect([column, row[column]]).toEqual([column, csvText(want)]);
      }
    });
  });

  async function argTypes(name: string): Promise<Record<string, string>> {
    const d = await data(`{ __schema { queryType { fields { name args { name type { kind name ofType { kind name ofType { kind name } } } } } } } }`);
    const field = d.__schema.queryType.fields.find((f: { name: string }) => f.name === name);
    const typeName = (t: any): string => (t.kind === 'NON_NULL' ? typeName(t.ofType) : t.kind === 'LIST' ? `[${typeName(t.ofType)}]` : t.kind === 'ENUM' ? 'Enum' : t.name);
    return Object.fromEntries(field.args.map((a: any) => [a.name, typeName(a.type)]));
  }

  function argsLiteral(name: string, params: Record<string, string | string[]>, types: Record<string, string>): string {
    const lit = (k: string, v: string | string[], t: string): string => {
      if (t.startsWith('[')) return `[${[v].flat().flatMap((x) => x.split(',')).join(', ')}]`;
      if (t === 'Int' || t === 'Float' || t === 'Enum') return String(v);
      return JSON.stringify(v);
    };
    if ('filter' in types) {
      // Record lists: the filter's fields travel as parameters of their own in the URL form.
      const { first, after, ...filter } = params;
      const stage = name === 'leads' ? 'Enum' : 'String';
      const inner = Object.entries(filter).map(([k, v]) => `${k}: ${lit(k, v, k === 'stage' ? stage : 'String')}`).join(', ');
      return [inner && `filter: { ${inner} }`, first && `first: ${first}`, after && `after: ${JSON.stringify(after)}`].filter(Boolean).join(', ');
    }
    return Object.entries(params).map(([k, v]) => `${k}: ${lit(k, v, types[k])}`).join(', ');
  }

  async function allEdges(name: string, params: Record<string, string | string[]>): Promise<unknown[]> {
    const edges: unknown[] = [];
    let after: string | undefined;
    for (;;) {
      const page: any = await fetch(urlOf(app.url, name, 'json', { ...params, first: '7', ...(after ? { after } : {}) })).then((r) => r.json());
      edges.push(...page.data.edges);
      if (!page.data.pageInfo.hasNextPage) return edges;
      after = page.data.pageInfo.endCursor;
    }
  }

  it('answers a bad parameter with 400 and a JSON body naming it, as GraphQL does', async () => {
    const cases: [string, Record<string, string>, string][] = [
      ['funnel', { to }, 'from'],
      ['funnel', { from, to, anchor: 'LOST' }, 'anchor'],
      ['funnel', { from: 'yesterday', to }, 'from'],
      ['funnel', { from, to, windowDays: 'ten' }, 'windowDays'],
      ['funnel', { from, to, colour: 'red' }, 'colour'],
      ['funnel', { from: to, to: from }, 'to'],
      ['stalledOpportunities', { asOf, first: '10000' }, 'first'],
      ['leads', { after: 'bm90LWEtY3Vyc29y' }, 'after'],
      ['leads', { status: 'sleeping' }, 'status'],
    ];
    for (const [name, params, argument] of cases) {
      const res = await fetch(urlOf(app.url, name, 'csv', params));
      const body: any = await res.json();
      expect([name, argument, res.status, body]).toMatchObject([name, argument, 400, {}]);
      expect(body.errors[0]).toMatchObject({ code: 'BAD_USER_INPUT', argument });
      expect(body.errors[0].message).toContain(argument);
    }
    const unknownVersion = await fetch(urlOf(app.url, 'funnel', 'json', { from, to, definitionVersion: '9' }));
    expect(unknownVersion.status).toBe(400);
    expect(((await unknownVersion.json()) as any).errors[0].code).toBe('DEFINITION_NOT_FOUND');
    const unknown = await fetch(`${app.url}/v1/reports/revenue.csv`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as any).errors[0].message).toContain('funnel');
  });

  it('quotes CSV fields as RFC 4180 says (commas, quotes, line breaks)', async () => {
    const odd = 'Spring "big", webinar\nEMEA';
    await postEvents([{ id: 'odd-1', type: 'CampaignLaunched', occurredAt: '2026-01-05T00:00:00Z', data: { campaignId: 'C-odd', name: odd, channel: 'webinar' } }]);
    await caughtUp();
    const text = await (await fetch(`${app.url}/v1/reports/campaigns.csv`)).text();
    expect(text).toContain(`"Spring ""big"", webinar\nEMEA"`);
    const rows: Record<string, string>[] = parse(text, { columns: true });
    expect(rows.find((r) => r.id === 'C-odd')?.name).toBe(odd);
  });
});

/** One flat row per innermost item along the table's row path; outer fields repeat. */
function flatten(value: unknown, path: readonly string[]): Record<string, unknown>[] {
  const items = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v : v == null ? [] : [v as Record<string, unknown>]);
  const scalars = (o: Record<string, unknown>, prefix: string, outer: Record<string, unknown>) => {
    const row = { ...outer };
    for (const [k, v] of Object.entries(o)) {
      if (v !== null && typeof v === 'object' && !(Array.isArray(v) && v.every((x) => typeof x !== 'object'))) continue;
      row[k in outer ? `${prefix}.${k}` : k] = v;
    }
    return row;
  };
  const walk = (v: unknown, i: number, outer: Record<string, unknown>, prefix: string): Record<string, unknown>[] =>
    items(v).flatMap((o) => {
      const row = scalars(o, prefix, outer);
      return i === path.length ? [row] : walk(o[path[i]], i + 1, row, path[i]);
    });
  return walk(value, 0, {}, '');
}

const csvText = (v: unknown): string => (v === null || v === undefined ? '' : Array.isArray(v) ? v.join(';') : String(v));
