import { unstorableTextProblem } from '@funnel/contracts';
import { ReportInputError } from './report-input.error';

// Every list of the API pages alike.
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

type KeyPart = string | number;
type KeyType = 'string' | 'number';

/**
 * Keyset cursors, for every list of the API: base64url of the list's name and the sort key of
 * the last record seen, so the next page starts strictly after that key. A record added or
 * changed between two pages moves no other record; nothing repeats or vanishes, unlike an offset.
 */
export function cursorOf(list: string, ...key: readonly KeyPart[]): string {
  return Buffer.from(JSON.stringify([list, ...key])).toString('base64url');
}

/** The sort key inside a cursor of `list`, checked part by part against `types`; anything else is BAD_USER_INPUT on `after`. */
export function keyOf(list: string, cursor: string, ...types: readonly KeyType[]): KeyPart[] {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined; // not JSON: reported below like any other foreign cursor
  }
  const valid =
    Array.isArray(decoded) &&
    decoded.length === types.length + 1 &&
    decoded[0] === list &&
    types.every((type, i) => {
      const part: unknown = decoded[i + 1];
      return type === 'number'
        ? typeof part === 'number' && Number.isFinite(part)
        : typeof part === 'string' && part !== '' && unstorableTextProblem(part) === undefined;
    });
  if (!valid) throw new ReportInputError('after', `is not a cursor returned by ${list}`);
  return (decoded as KeyPart[]).slice(1);
}

export function pageSize(first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new ReportInputError('first', `must be from 1 to ${MAX_PAGE_SIZE}, got ${first}`);
  }
  return first;
}

/**
 * A page of a list fetched with one row more than `size` (the extra row says another page
 * follows): its first `size` rows as edges, with the page info every connection returns.
 */
export function keysetPage<Row, Node>(rows: readonly Row[], size: number, after: unknown, edgeOf: (row: Row) => { cursor: string; node: Node }) {
  const edges = rows.slice(0, size).map(edgeOf);
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > size,
      hasPreviousPage: after !== undefined && after !== null && after !== '',
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}
