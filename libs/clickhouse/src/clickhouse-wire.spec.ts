import { bindQueryParams } from './clickhouse-wire';

describe('bindQueryParams', () => {
  const at = '2026-03-02T10:15:00.123Z';

  it('turns Dates and ISO-8601 strings with an offset into the instant for temporal placeholders', () => {
    const sql = `SELECT {a:DateTime64(3, 'UTC')}, {b:Nullable(DateTime64(3))}, {c:DateTime('UTC')}, {d:Date}, {e:Array(DateTime64(3))}`;
    expect(bindQueryParams(sql, { a: new Date(at), b: '2026-03-02T11:15:00.123+01:00', c: at, d: at, e: [new Date(at), at] })).toEqual({
      a: '1772446500.123',
      b: '1772446500.123',
      c: '1772446500',
      d: '2026-03-02',
      e: ['1772446500.123', '1772446500.123'],
    });
  });

  it('keeps milliseconds exact before 1970', () => {
    expect(bindQueryParams('{t:DateTime64(3)}', { t: new Date(-1500) })).toEqual({ t: '-1.500' });
  });

  it('leaves other values, and ISO-looking text bound as String, untouched', () => {
    const sql = `{s:String} {t:DateTime64(3, 'UTC')} {n:Nullable(String)} {a:Array(String)}`;
    expect(bindQueryParams(sql, { s: at, t: '2026-03-02 10:15:00.123', n: null, a: [at], extra: 1 })).toEqual({
      s: at,
      t: '2026-03-02 10:15:00.123',
      n: null,
      a: [at],
      extra: 1,
    });
  });

  it('sends an integral number beyond 2^53 as the bigint of its exact value', () => {
    const huge = 2 ** 53 + 2;
    expect(bindQueryParams('{f:Float64} {a:Array(Float64)}', { f: huge, a: [0.5, -huge] })).toEqual({ f: 9007199254740994n, a: [0.5, -9007199254740994n] });
  });

  it('rejects an invalid Date', () => {
    expect(() => bindQueryParams('{t:DateTime64(3)}', { t: new Date('nope') })).toThrow("query parameter 't'");
  });
});
