import { DateTime, IANAZone } from 'luxon';
import type { DateFormat, Transform } from './mapping.schema';

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

const LUXON_FORMATS: Partial<Record<DateFormat, string>> = {
  'YYYY-MM-DD': 'yyyy-MM-dd',
  'YYYY-MM-DD HH:mm': 'yyyy-MM-dd HH:mm',
  'YYYY-MM-DD HH:mm:ss': 'yyyy-MM-dd HH:mm:ss',
  'DD/MM/YYYY': 'dd/MM/yyyy',
  'DD/MM/YYYY HH:mm': 'dd/MM/yyyy HH:mm',
  'DD/MM/YYYY HH:mm:ss': 'dd/MM/yyyy HH:mm:ss',
  'MM/DD/YYYY': 'MM/dd/yyyy',
  'MM/DD/YYYY HH:mm': 'MM/dd/yyyy HH:mm',
  'MM/DD/YYYY HH:mm:ss': 'MM/dd/yyyy HH:mm:ss',
};

/** Day 0 of Excel's 1900 date system as it counts (1899-12-30, absorbing its 1900 leap-year bug). */
const EXCEL_EPOCH = { year: 1899, month: 12, day: 30 };

function readDate(value: string, format: DateFormat, zone: string): DateTime {
  switch (format) {
    case 'ISO':
      return DateTime.fromISO(value, { zone });
    case 'unix':
    case 'unix-ms': {
      if (!/^[+-]?\d+(\.\d+)?$/.test(value)) return DateTime.invalid(`not a ${format} timestamp`);
      return DateTime.fromMillis(Number(value) * (format === 'unix' ? 1000 : 1), { zone: 'UTC' });
    }
    case 'excel': {
      if (!/^\d+(\.\d+)?$/.test(value)) return DateTime.invalid('not an Excel serial day number');
      // Serial days are wall-clock time in the zone (Excel has no zones): days, then the fraction as time of day.
      const days = Math.floor(Number(value));
      const ms = Math.round((Number(value) - days) * 86_400_000);
      return DateTime.fromObject(EXCEL_EPOCH, { zone }).plus({ days }).plus({ milliseconds: ms });
    }
    default:
      return DateTime.fromFormat(value, LUXON_FORMATS[format] as string, { zone });
  }
}

/**
 * Reads a date in the first of `formats` that fits; wall-clock formats are read in `zone`
 * (IANA, with its DST rules). Returns the UTC instant with milliseconds, as ingest stores it.
 */
export function parseDate(value: string, formats: readonly DateFormat[], zone: string): string {
  for (const format of formats) {
    const d = readDate(value.trim(), format, zone);
    if (d.isValid) return d.toUTC().toISO() as string;
  }
  throw new ValueError(`"${value}" is not a date in ${formats.map((f) => `"${f}"`).join(' or ')}`);
}

export const isValidZone = (zone: string) => IANAZone.isValidZone(zone);
