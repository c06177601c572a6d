import { DateTime, IANAZone } from 'luxon';
import { DATE_FORMATS, type DateFormat, type Transform } from './mapping.schema';

/** A cell value that cannot become the field it is mapped to: rejects the row, never the import. */
export class ValueError extends Error {}

export function applyTransforms(value: string, transforms: readonly Transform[]): string {
  return transforms.reduce((v, t) => (t === 'trim' ? v.trim() : t === 'lower' ? v.toLowerCase() : v.toUpperCase()), value);
}

const escape = (c: string) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const numberPatterns = new Map<string, RegExp>();

/**
 * A number as CRMs and spreadsheets export it: "1234.5", "1,234.5", "1 234,5" (decimal ","),
 * with currency symbols ignored. Thousands groups must be groups of three, so "1,5" with decimal
 * "." is refused rather than read as 15.
 */
export function parseNumber(value: string, decimal: '.' | ','): number {
  let pattern = numberPatterns.get(decimal);
  if (!pattern) {
    const group = `[${escape(decimal === '.' ? ',' : '.')} '\u00a0\u202f]`;
    pattern = new RegExp(`^[+-]?(?:\\d+|\\d{1,3}(?:(${group})\\d{3})(?:\\1\\d{3})*)(?:${escape(decimal)}\\d+)?$`);
    numberPatterns.set(decimal, pattern);
  }
  const text = value.replace(/\p{Sc}/gu, '').trim();
  if (!pattern.test(text)) {
    throw new ValueError(`"${value}" is not a number with decimal separator "${decimal}"`);
  }
  return Number(text.replace(/[^\d+\-.,]/g, '').replace(decimal === '.' ? /,/g : /\./g, '').replace(',', '.'));
}

const BOOLEANS: Record<string, boolean> = { yes: true, y: true, true: true, '1': true, no: false, n: false, false: false, '0': false };

export function parseBoolean(value: string): boolean {
  const b = BOOLEANS[value.trim().toLowerCase()];
  if (b === undefined) throw new ValueError(`"${value}" is not a boolean (yes/no, true/false, 1/0)`);
  return b;
}

type Part = 'y' | 'M' | 'd' | 'h' | 'm' | 's';

/** Wall-clock formats as patterns (month, day and hour may have one digit, as spreadsheets write them). */
function wallClock(format: string): { re: RegExp; parts: Part[] } {
  const tokens: Record<string, [string, Part]> = { YYYY: ['(\\d{4})', 'y'], MM: ['(\\d{1,2})', 'M'], DD: ['(\\d{1,2})', 'd'], HH: ['(\\d{1,2})', 'h'], mm: ['(\\d{2})', 'm'], ss: ['(\\d{2})', 's'] };
  const parts: Part[] = [];
  const source = format.replace(/YYYY|MM|DD|HH|mm|ss/g, (t) => {
    parts.push(tokens[t][1]);
    return tokens[t][0];
  });
  return { re: new RegExp(`^${source}$`), parts };
}

const WALL_CLOCK = new Map(DATE_FORMATS.filter((f) => /YYYY/.test(f)).map((f) => [f, wallClock(f)]));

// Parsed by hand rather than by luxon's fromFormat, which costs ~100 µs a call: an import reads
// millions of dates. Luxon still does the zone arithmetic (DST) for zones other than UTC.
/** Epoch milliseconds, NaN when the value does not fit. */
function readWallClock(value: string, format: DateFormat, zone: string): number {
  const { re, parts } = WALL_CLOCK.get(format) as { re: RegExp; parts: Part[] };
  const m = re.exec(value);
  if (!m) return NaN;
  const t: Record<Part, number> = { y: 0, M: 1, d: 1, h: 0, m: 0, s: 0 };
  parts.forEach((p, i) => (t[p] = Number(m[i + 1])));
  const ms = Date.UTC(t.y, t.M - 1, t.d, t.h, t.m, t.s);
  const utc = new Date(ms);
  // Date.UTC rolls 30 February over into March; a date that does not exist is refused instead.
  if (utc.getUTCMonth() !== t.M - 1 || utc.getUTCDate() !== t.d || t.h > 23 || t.m > 59 || t.s > 59 || t.y < 1000) {
    return NaN;
  }
  if (zone === 'UTC') return ms;
  return DateTime.fromObject({ year: t.y, month: t.M, day: t.d, hour: t.h, minute: t.m, second: t.s }, { zone }).toMillis();
}

/** Day 0 of Excel's 1900 date system as it counts (1899-12-30, absorbing its 1900 leap-year bug). */
const EXCEL_EPOCH = { year: 1899, month: 12, day: 30 };

/** Epoch milliseconds, NaN when the value does not fit. */
function readDate(value: string, format: DateFormat, zone: string): number {
  switch (format) {
    case 'ISO':
      return DateTime.fromISO(value, { zone }).toMillis();
    case 'unix':
    case 'unix-ms': {
      if (!/^[+-]?\d+(\.\d+)?$/.test(value)) return NaN;
      return Math.round(Number(value) * (format === 'unix' ? 1000 : 1));
    }
    case 'excel': {
      if (!/^\d+(\.\d+)?$/.test(value)) return NaN;
      // Serial days are wall-clock time in the zone (Excel has no zones): days, then the fraction as time of day.
      const days = Math.floor(Number(value));
      const ms = Math.round((Number(value) - days) * 86_400_000);
      return DateTime.fromObject(EXCEL_EPOCH, { zone }).plus({ days }).plus({ milliseconds: ms }).toMillis();
    }
    default:
      return readWallClock(value, format, zone);
  }
}

/**
 * Reads a date in the first of `formats` that fits; wall-clock formats are read in `zone`
 * (IANA, with its DST rules). Returns the UTC instant with milliseconds, as ingest stores it.
 */
export function parseDate(value: string, formats: readonly DateFormat[], zone: string): string {
  for (const format of formats) {
    const ms = readDate(value.trim(), format, zone);
    // Invalid luxon dates give NaN too; the range check keeps toISOString from throwing.
    if (Number.isFinite(ms) && Math.abs(ms) <= 8.64e15) return new Date(ms).toISOString();
  }
  throw new ValueError(`"${value}" is not a date in ${formats.map((f) => `"${f}"`).join(' or ')}`);
}

export const isValidZone = (zone: string) => IANAZone.isValidZone(zone);
