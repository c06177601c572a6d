import { parse } from 'csv-parse/sync';

/** A CSV fixture's data rows keyed by its header (csv-parse: RFC 4180 quoting, a BOM dropped). */
export function parseCsv(text: string): Record<string, string>[] {
  return parse(text, { columns: true, bom: true, skip_empty_lines: true });
}
