import { ReportInputError } from '../common/report-input.error';
import { MAX_PAGE_SIZE } from '../stalled/stalled.resolver';

// Every list of the API pages alike.
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../stalled/stalled.resolver';

/**
 * Keyset cursors: base64url of the sort key of the last record seen, so the next page starts
 * strictly after that key. A record added or changed between two pages moves no other record;
 * nothing repeats or vanishes, unlike an offset.
 */
export function cursorOf(list: string, key: string): string {
  return Buffer.from(JSON.stringify([list, key])).toString('base64url');
}

export function keyOf(list: string, cursor: string): string {
  try {
    const [l, key] = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    if (l === list && typeof key === 'string') return key;
  } catch {
    // not JSON: reported below like any other foreign cursor
  }
  throw new ReportInputError('after', `is not a cursor returned by ${list}`);
}

export function pageSize(first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new ReportInputError('first', `must be from 1 to ${MAX_PAGE_SIZE}, got ${first}`);
  }
  return first;
}
