import { GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString, parse, specifiedRules, validate } from 'graphql';
import { DateTimeScalar, dateTimeArgumentsRule } from './date-time.scalar';

const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: { report: { type: GraphQLString, args: { asOf: { type: new GraphQLNonNull(DateTimeScalar) } } } },
  }),
});

const errorsOf = (query: string) => validate(schema, parse(query), [...specifiedRules, dateTimeArgumentsRule]);

describe('DateTime scalar', () => {
  it('parses variables with the ingest parser: UTC, milliseconds, offsets applied', () => {
    expect(DateTimeScalar.parseValue('2026-03-02T10:15:00+01:00')).toEqual(new Date('2026-03-02T09:15:00.000Z'));
  });

  it.each([
    ['2018-02-30T00:00:00Z', 'not a real calendar date'],
    ['01/02/2018', 'not an ISO-8601 date-time'],
    ['yesterday', 'not an ISO-8601 date-time'],
    ['2018-02-01T00:00:00', 'has no time zone'],
    ['9999-12-31T23:59:59-01:00', 'outside years 0001 to 9999'],
  ])('refuses the variable %p as BAD_USER_INPUT', (value, message) => {
    expect(() => DateTimeScalar.parseValue(value)).toThrow(message);
    try {
      DateTimeScalar.parseValue(value);
    } catch (e) {
      expect((e as { extensions: object }).extensions).toEqual({ code: 'BAD_USER_INPUT' });
    }
  });

  it('serialises Dates and ISO strings as UTC ISO-8601', () => {
    expect(DateTimeScalar.serialize(new Date('2026-03-02T10:15:00Z'))).toBe('2026-03-02T10:15:00.000Z');
    expect(DateTimeScalar.serialize('2026-03-02T11:15:00+01:00')).toBe('2026-03-02T10:15:00.000Z');
  });

  it('reports one BAD_USER_INPUT naming the argument for a bad literal, and nothing for a good one', () => {
    const [error, ...rest] = errorsOf('{ report(asOf: "2018-02-30T00:00:00Z") }');
    expect(rest).toEqual([]);
    expect(error.message).toBe('asOf: "2018-02-30T00:00:00Z" is not a real calendar date and time');
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'asOf' });
    expect(errorsOf('{ report(asOf: 20180201) }').map((e) => e.extensions.argument)).toEqual(['asOf']);
    expect(errorsOf('{ report(asOf: "2018-02-28T00:00:00Z") }')).toEqual([]);
  });
});
