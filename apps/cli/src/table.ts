/** Columns padded to their widest cell; numbers right-aligned, with thousands separators. */
export function table(header: readonly string[], rows: readonly (readonly (string | number | null | undefined)[])[]): string[] {
  const cells = rows.map((r) => r.map(cell));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number' || r[i] == null));
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i].length)));
  const line = (r: readonly string[]) =>
    r.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), ...cells.map(line)];
}

function cell(value: string | number | null | undefined): string {
  if (value == null) return '-';
  return typeof value === 'number' ? value.toLocaleString('en-US') : value;
}

/** `deadLetters` -> `dead letters`, for column headers made from field names. */
export function words(fieldName: string): string {
  return fieldName.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}
