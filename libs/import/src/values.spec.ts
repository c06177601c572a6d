import fc from 'fast-check';
import { applyTransforms, parseBoolean, parseDate, parseNumber } from './values';

describe('parseNumber', () => {
  it.each([
    ['1234.5', '.', 1234.5],
    ['1,234.5', '.', 1234.5],
    ['1,234,567', '.', 1234567],
    ['1.234,5', ',', 1234.5],
    ['1 234,50', ',', 1234.5],
    ["1'234.5", '.', 1234.5],
    ['$ 12,000.00', '.', 12000],
    ['12 000 €', ',', 12000],
    ['0.0', '.', 0],
    ['-3', '.', -3],
  ] as const)('reads %s with decimal %s', (text, decimal, expected) => {
    expect(parseNumber(text, decimal)).toBe(expected);
  });

  it.each([
    ['1,5', '.'],
    ['1,23,456', '.'],
    ['1.5.', ','],
    ['abc', '.'],
    ['', '.'],
    ['1,234.5', ','],
  ] as const)('refuses %s with decimal %s', (text, decimal) => {
    expect(() => parseNumber(text, decimal)).toThrow(/is not a number/);
  });

  it('reads back any amount written with thousands separators', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 12 }), fc.integer({ min: 0, max: 99 }), (whole, cents) => {
        const n = whole + cents / 100;
        const us = `${whole.toLocaleString('en-US')}.${String(cents).padStart(2, '0')}`;
        const de = `${whole.toLocaleString('de-DE')},${String(cents).padStart(2, '0')}`;
        expect(parseNumber(us, '.')).toBeCloseTo(n, 6);
        expect(parseNumber(de, ',')).toBeCloseTo(n, 6);
      }),
    );
  });
});

describe('parseBoolean', () => {
  it('reads yes/no, true/false, 1/0 in any case', () => {
    expect(['Yes', 'TRUE', '1', 'y'].map(parseBoolean)).toEqual([true, true, true, true]);
    expect(['no', 'False', '0', 'N'].map(parseBoolean)).toEqual([false, false, false, false]);
    expect(() => parseBoolean('maybe')).toThrow(/not a boolean/);
  });
});

describe('applyTransforms', () => {
  it('applies trim, lower and upper in order', () => {
    expect(applyTransforms('  Paid Search ', ['trim', 'lower'])).toBe('paid search');
    expect(applyTransforms('emea', ['upper'])).toBe('EMEA');
  });
});

describe('parseDate', () => {
  it('reads each named format as wall-clock time in the zone', () => {
    expect(parseDate('2018-02-26 19:58:54', ['YYYY-MM-DD HH:mm:ss'], 'UTC')).toBe('2018-02-26T19:58:54.000Z');
    expect(parseDate('2018-02-01', ['YYYY-MM-DD'], 'UTC')).toBe('2018-02-01T00:00:00.000Z');
    expect(parseDate('03/04/2024', ['DD/MM/YYYY'], 'UTC')).toBe('2024-04-03T00:00:00.000Z');
    expect(parseDate('03/04/2024', ['MM/DD/YYYY'], 'UTC')).toBe('2024-03-04T00:00:00.000Z');
    expect(parseDate('2024-01-15', ['YYYY-MM-DD'], 'America/New_York')).toBe('2024-01-15T05:00:00.000Z');
    expect(parseDate('2024-07-15', ['YYYY-MM-DD'], 'America/New_York')).toBe('2024-07-15T04:00:00.000Z');
  });

  it('follows the zone across daylight saving time', () => {
    expect(parseDate('2024-03-30 12:00', ['YYYY-MM-DD HH:mm'], 'Europe/Berlin')).toBe('2024-03-30T11:00:00.000Z');
    expect(parseDate('2024-03-31 12:00', ['YYYY-MM-DD HH:mm'], 'Europe/Berlin')).toBe('2024-03-31T10:00:00.000Z');
  });

  it('keeps an ISO offset and reads an ISO date without one in the zone', () => {
    expect(parseDate('2024-01-15T10:22:00.000Z', ['ISO'], 'America/New_York')).toBe('2024-01-15T10:22:00.000Z');
    expect(parseDate('2024-01-15T10:22:00+02:00', ['ISO'], 'UTC')).toBe('2024-01-15T08:22:00.000Z');
    expect(parseDate('2024-01-15T10:22', ['ISO'], 'Europe/Berlin')).toBe('2024-01-15T09:22:00.000Z');
  });

  it('reads Unix seconds and milliseconds and Excel serial days', () => {
    expect(parseDate('1700000000', ['unix'], 'Europe/Berlin')).toBe('2023-11-14T22:13:20.000Z');
    expect(parseDate('1700000000123', ['unix-ms'], 'UTC')).toBe('2023-11-14T22:13:20.123Z');
    expect(parseDate('45000', ['excel'], 'UTC')).toBe('2023-03-15T00:00:00.000Z');
    expect(parseDate('45000.75', ['excel'], 'UTC')).toBe('2023-03-15T18:00:00.000Z');
    expect(parseDate('1', ['excel'], 'UTC')).toBe('1899-12-31T00:00:00.000Z');
  });

  it('tries the formats in order', () => {
    expect(parseDate('2024-01-15 10:22', ['YYYY-MM-DD', 'YYYY-MM-DD HH:mm'], 'UTC')).toBe('2024-01-15T10:22:00.000Z');
  });

  it('refuses dates that do not exist or do not fit the format', () => {
    expect(() => parseDate('2018-02-30', ['YYYY-MM-DD'], 'UTC')).toThrow('"2018-02-30" is not a date in "YYYY-MM-DD"');
    expect(() => parseDate('15/01/2024', ['MM/DD/YYYY'], 'UTC')).toThrow(/not a date/);
    expect(() => parseDate('soon', ['unix', 'excel'], 'UTC')).toThrow('"soon" is not a date in "unix" or "excel"');
  });
});
