import { buildSchema } from 'graphql';
import { columnsOf, flatRows, operationOf, planReport, ReportUrlError, variablesOf } from './report-plan';

const schema = buildSchema(`
  scalar DateTime
  enum Stage { MQL SQL }
  input Filter { stage: Stage, channel: String }
  type Stage1 { stage: Stage! reached: Int! rate: Float }
  type Group { key: String stages: [Stage1!]! }
  type Report { version: Int! groups: [Group!]! }
  type Item { id: ID! reasons: [String!]! leads: Int }
  type Edge { cursor: String! node: Item! }
  type PageInfo { hasNextPage: Boolean! endCursor: String }
  type Conn { totalCount: Int! leads: Int edges: [Edge!]! pageInfo: PageInfo! }
  type Query {
    funnel(from: DateTime!, to: DateTime!, windowDays: Int, bands: [Float!], anchor: Stage = MQL): Report!
    things(filter: Filter, first: Int, after: String): Conn!
  }`);

const funnel = planReport(schema, 'funnel', { rows: ['groups', 'stages'] });
const things = planReport(schema, 'things', { rows: ['edges', 'node'] });

describe('report plans', () => {
  it('selects every scalar along the row path and flattens one row per innermost item', () => {
    expect(funnel.selection).toBe('version groups { key stages { stage reached rate } }');
    expect(columnsOf(funnel)).toEqual(['version', 'key', 'stage', 'reached', 'rate']);
    const value = { version: 1, groups: [{ key: 'a', stages: [{ stage: 'MQL', reached: 2, rate: null }, { stage: 'SQL', reached: 1, rate: 0.5 }] }, { key: 'b', stages: [] }] };
    expect(flatRows(funnel, value)).toEqual([
      { version: 1, key: 'a', stage: 'MQL', reached: 2, rate: null },
      { version: 1, key: 'a', stage: 'SQL', reached: 1, rate: 0.5 },
    ]);
  });

  it('names a column that repeats an outer one by its path, and pages connections', () => {
    expect(columnsOf(things)).toEqual(['totalCount', 'leads', 'cursor', 'id', 'reasons', 'node.leads']);
    expect(things.connection).toBe(true);
    expect(things.selection).toContain('pageInfo { hasNextPage endCursor }');
  });

  it('turns URL parameters into typed variables, filter fields included', () => {
    const params = new URLSearchParams('from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00%2B01:00&windowDays=30&bands=0,50&bands=75&anchor=SQL');
    const vars = variablesOf(funnel, params);
    expect(vars).toEqual({ from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00+01:00', windowDays: 30, bands: [0, 50, 75], anchor: 'SQL' });
    expect(operationOf(funnel, vars)).toBe(
      'query funnelReport($from: DateTime!, $to: DateTime!, $windowDays: Int, $bands: [Float!], $anchor: Stage) ' +
        '{ funnel(from: $from, to: $to, windowDays: $windowDays, bands: $bands, anchor: $anchor) { version groups { key stages { stage reached rate } } } }',
    );
    expect(variablesOf(things, new URLSearchParams('stage=MQL&first=5&api_key=x'), ['api_key'])).toEqual({ filter: { stage: 'MQL' }, first: 5 });
  });

  it.each([
    ['to=2026-04-01T00:00:00Z', 'from', /is required/],
    ['from=2026-03-01T00:00:00Z&to=2026-04-01', 'to', /needs a time and a time zone/],
    ['from=2026-02-30T00:00:00Z&to=2026-04-01T00:00:00Z', 'from', /not a real calendar date/],
    ['from=2026-03-01T00:00:00&to=2026-04-01T00:00:00Z', 'from', /no time zone/],
    ['from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z&windowDays=1.5', 'windowDays', /integer/],
    ['from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z&windowDays=1&windowDays=2', 'windowDays', /2 times/],
    ['from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z&bands=x', 'bands', /number/],
    ['from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z&colour=red', 'colour', /parameters are from, to, windowDays, bands, anchor/],
  ])('%s is refused naming %s', (query, argument, message) => {
    let error: unknown;
    try {
      variablesOf(funnel, new URLSearchParams(query));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ReportUrlError);
    expect((error as ReportUrlError).argument).toBe(argument);
    expect((error as ReportUrlError).message).toMatch(message);
  });

  it('refuses an input object given whole: its fields are the parameters', () => {
    expect(() => variablesOf(things, new URLSearchParams('filter=x'))).toThrow(/stage, channel/);
  });
});
