import type { LogRecord } from '../event-log.port';

/** Every record of the log with `after` < position <= the last record's, in position order. */
interface Segment {
  readonly after: bigint;
  readonly last: bigint;
  readonly records: readonly LogRecord[];
}

/**
 * Batches recently read from the log table, so consumers of one process (embedded mode runs both
 * projections on one log) read each event from PostgreSQL once instead of once per consumer.
 *
 * A read `position > after ORDER BY position LIMIT n` that returns rows up to position P proves
 * they are every row the log will ever hold in (after, P]: appends serialise on a lock held to
 * their commit, so a row committed later always has a higher position than every visible one (see
 * the append lock in postgres-event-log.adapter.ts). A segment therefore never goes stale and can
 * be handed to any consumer whose checkpoint falls inside it.
 */
export class RecentRecords {
  private segments: Segment[] = [];
  private held = 0;

  /** Keeps at most about `capacity` records, dropping the oldest segments first. */
  constructor(private readonly capacity: number) {}

  /** Remembers `records`, which a read returned as everything after position `after` up to the last of them. */
  add(after: string, records: readonly LogRecord[]): void {
    if (records.length === 0) return;
    this.segments.push({ after: BigInt(after), last: BigInt(records[records.length - 1].position), records });
    this.held += records.length;
    while (this.held > this.capacity && this.segments.length > 1) this.held -= this.segments.shift()!.records.length;
  }

  /** Up to `limit` records after position `after`, in order, as far as the segments cover them without a gap. */
  take(after: string, limit: number): LogRecord[] {
    const taken: LogRecord[] = [];
    let cursor = BigInt(after);
    while (taken.length < limit) {
      const segment = this.segments.find((s) => s.after <= cursor && cursor < s.last);
      if (!segment) break;
      const from = firstAfter(segment.records, cursor);
      const part = segment.records.slice(from, from + limit - taken.length);
      taken.push(...part);
      cursor = BigInt(part[part.length - 1].position);
    }
    return taken;
  }
}

/** The index of the first record with a position above `cursor` (records are in position order). */
function firstAfter(records: readonly LogRecord[], cursor: bigint): number {
  let lo = 0;
  let hi = records.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (BigInt(records[mid].position) <= cursor) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
