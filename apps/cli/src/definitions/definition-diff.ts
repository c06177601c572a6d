const NONE = '(none)';

/** A definition document (or any JSON value) as `path -> value` lines, for `show` and `diff`. */
export function flattenDocument(value: unknown, path = '', out = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== 'object')) {
      out.set(path, value.length === 0 ? NONE : value.join(', '));
    } else {
      // Items are named by their identifying field (stallDays by stage, signOffs by team), so a
      // diff compares like with like whatever the order.
      value.forEach((item, i) => {
        const key = identityKey(item);
        const { [key ?? '']: id, ...rest } = item as Record<string, unknown>;
        flattenDocument(key ? rest : item, `${path}[${key ? String(id) : i}]`, out);
      });
      if (value.length === 0) out.set(path, NONE);
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) flattenDocument(v, path ? `${path}.${k}` : k, out);
  } else {
    out.set(path, value === null || value === undefined ? NONE : String(value));
  }
  return out;
}

function identityKey(item: unknown): string | undefined {
  if (item === null || typeof item !== 'object') return undefined;
  return ['stage', 'team', 'name', 'id'].find((k) => typeof (item as Record<string, unknown>)[k] === 'string');
}

export interface FieldDifference {
  readonly field: string;
  readonly a: string;
  readonly b: string;
}

/**
 * The fields whose values differ between two flattened documents, in `a`'s order then `b`'s new
 * ones. A field one document lacks reads `(none)`, as an empty one does: both mean "nothing here".
 */
export function diffDocuments(a: Map<string, string>, b: Map<string, string>, ignore: (field: string) => boolean = () => false): FieldDifference[] {
  const fields = [...new Set([...a.keys(), ...b.keys()])].filter((f) => !ignore(f));
  return fields
    .map((field) => ({ field, a: a.get(field) ?? NONE, b: b.get(field) ?? NONE }))
    .filter((d) => d.a !== d.b);
}
