import type { FieldError } from '@funnel/contracts';
import type { Readable } from 'node:stream';
import { checkHeader, MappingError, RowError, type CompiledMapping, type ImportedEvent } from './compile-mapping';
import { csvRecords } from './csv-records';

/** Ingest's own limit per request (DESIGN §2). */
export const MAX_BATCH_EVENTS = 10_000;

export type EventStatus = 'accepted' | 'duplicate' | 'rejected';

/** Ingest's answer for one event of a batch, in input order. */
export interface EventOutcome {
  readonly status: EventStatus;
  readonly errors?: readonly FieldError[];
}

/** Ingest's answer to a batch (POST /v1/events, or the ingest service itself) as one outcome per event. */
export function outcomesOf(answer: {
  readonly results: readonly { readonly index: number; readonly status: EventStatus }[];
  readonly rejected: readonly { readonly index: number; readonly errors: readonly FieldError[] }[];
}): EventOutcome[] {
  const errors = new Map(answer.rejected.map((r) => [r.index, r.errors]));
  return answer.results.map((r) => (r.status === 'rejected' ? { status: r.status, errors: errors.get(r.index) ?? [] } : { status: r.status }));
}

export type WireEvent = ImportedEvent['event'];
/** Sends one batch (at most MAX_BATCH_EVENTS) and answers with one outcome per event, in order. */
export type SendBatch = (events: readonly WireEvent[]) => Promise<readonly EventOutcome[]>;

export interface RejectedRow {
  /** The row as a spreadsheet numbers it: the header is row 1. */
  readonly row: number;
  readonly reason: string;
  /** The original cells, in the file's column order. */
  readonly cells: readonly string[];
}

export interface TypeCounts {
  /** Events the mapping made from the file's rows. */
  events: number;
  accepted: number;
  duplicates: number;
  /** Events that could not be made from their row, or that ingest rejected. */
  rejected: number;
}

export interface ImportSummary {
  /** Data rows read (the header not counted). */
  rows: number;
  rejectedRows: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  byType: Record<string, TypeCounts>;
}

export interface ImportCsvOptions {
  readonly mapping: CompiledMapping;
  readonly input: Readable | AsyncIterable<Buffer | string>;
  readonly encoding?: string;
  /** Absent: a dry run; rows are mapped and checked, nothing is sent. */
  readonly send?: SendBatch;
  readonly batchSize?: number;
  readonly onHeader?: (header: readonly string[]) => void | Promise<void>;
  readonly onReject?: (rejected: RejectedRow) => void | Promise<void>;
  /** Every event made, before it is sent (a dry run previews them here). */
  readonly onEvents?: (events: readonly ImportedEvent[]) => void;
  readonly onProgress?: (progress: { rows: number; bytes: number }) => void;
}

export function emptySummary(): ImportSummary {
  return { rows: 0, rejectedRows: 0, accepted: 0, duplicates: 0, rejected: 0, byType: {} };
}

/** Adds one file's summary into a running total (several files in one import). */
export function addSummary(total: ImportSummary, part: ImportSummary): ImportSummary {
  for (const k of ['rows', 'rejectedRows', 'accepted', 'duplicates', 'rejected'] as const) total[k] += part[k];
  for (const [type, c] of Object.entries(part.byType)) {
    const t = (total.byType[type] ??= { events: 0, accepted: 0, duplicates: 0, rejected: 0 });
    t.events += c.events;
    t.accepted += c.accepted;
    t.duplicates += c.duplicates;
    t.rejected += c.rejected;
  }
  return total;
}

/** A row of the batch being filled: its events, or why it was rejected before any was sent. */
interface PendingRow {
  readonly row: number;
  readonly cells: readonly string[];
  readonly events: readonly WireEvent[];
  readonly reason?: string;
}

/**
 * Streams one CSV through a mapping into batches of events: a missing mapped column stops the
 * import before anything is sent; a bad value or an event ingest rejects sends its row to
 * `onReject` (in row order) and the import goes on. One batch is in flight while the next is
 * read and mapped, so reading the file and the server's work overlap; memory holds two batches,
 * whatever the file's size.
 */
export async function importCsv(options: ImportCsvOptions): Promise<ImportSummary> {
  const { mapping, send } = options;
  const batchSize = Math.min(options.batchSize ?? MAX_BATCH_EVENTS, MAX_BATCH_EVENTS);
  const summary = emptySummary();
  const counts = (type: string) => (summary.byType[type] ??= { events: 0, accepted: 0, duplicates: 0, rejected: 0 });
  let bytes = 0;
  let header: readonly string[] | undefined;
  let pending: PendingRow[] = [];
  let pendingEvents = 0;
  /** The batch sent and not yet answered; its outcomes are counted before the next one is sent. */
  let inFlight: Promise<void> = Promise.resolve();

  const reject = async (r: RejectedRow) => {
    summary.rejectedRows++;
    await options.onReject?.(r);
  };

  const settle = async (rows: readonly PendingRow[], answer: Promise<readonly EventOutcome[]> | undefined, events: readonly WireEvent[]) => {
    const outcomes = (await answer) ?? [];
    if (answer && outcomes.length !== events.length) throw new Error(`ingest answered ${outcomes.length} results for ${events.length} events`);
    let i = 0;
    for (const r of rows) {
      if (r.reason !== undefined) {
        await reject({ row: r.row, cells: r.cells, reason: r.reason });
        continue;
      }
      if (!answer) continue;
      const reasons: string[] = [];
      for (const event of r.events) {
        const outcome = outcomes[i++];
        const c = counts(event.type);
        if (outcome.status === 'accepted') c.accepted++;
        else if (outcome.status === 'duplicate') c.duplicates++;
        else {
          c.rejected++;
          reasons.push(`${event.type} rejected by the server: ${(outcome.errors ?? []).map((e) => `${e.path || 'event'} ${e.message}`).join('; ')}`);
        }
      }
      if (reasons.length > 0) await reject({ row: r.row, cells: r.cells, reason: reasons.join('; ') });
    }
  };

  const flush = async () => {
    const rows = pending;
    pending = [];
    pendingEvents = 0;
    await inFlight;
    const events = rows.flatMap((r) => r.events);
    const answer = send && events.length > 0 ? send(events) : undefined;
    // Awaited by the next flush (or the end); until then its failure must not go unhandled.
    inFlight = settle(rows, answer, events);
    inFlight.catch(() => undefined);
  };
  const rejectRow = async (row: number, cells: readonly string[], reason: string) => {
    pending.push({ row, cells, events: [], reason });
    if (pending.length >= batchSize) await flush();
  };

  try {
    await readRows();
  } catch (e) {
    // The batch in flight is answered (and its rejects written) before the error is passed on.
    await inFlight.catch(() => undefined);
    throw e;
  }
  await inFlight;
  options.onProgress?.({ rows: summary.rows, bytes });
  for (const c of Object.values(summary.byType)) {
    summary.accepted += c.accepted;
    summary.duplicates += c.duplicates;
    summary.rejected += c.rejected;
  }
  return summary;

  async function readRows() {
    for await (const cells of csvRecords(options.input, { encoding: options.encoding, delimiter: mapping.delimiter, onBytes: (b) => (bytes = b) })) {
      if (header === undefined) {
        header = cells;
        const missing = checkHeader(mapping, header);
        if (missing.length > 0) throw new MappingError(missing);
        await options.onHeader?.(header);
        continue;
      }
      summary.rows++;
      const rowNumber = summary.rows + 1;
      options.onProgress?.({ rows: summary.rows, bytes });
      if (cells.length !== header.length) {
        await rejectRow(rowNumber, cells, `the row has ${cells.length} fields, the header has ${header.length}`);
        continue;
      }
      const record: Record<string, string> = {};
      header.forEach((h, i) => (record[h] = cells[i]));
      let made: ImportedEvent[];
      try {
        made = mapping.eventsOf(record);
      } catch (e) {
        if (!(e instanceof RowError)) throw e;
        counts(e.eventType).rejected++;
        await rejectRow(rowNumber, cells, e.message);
        continue;
      }
      for (const m of made) counts(m.event.type).events++;
      options.onEvents?.(made);
      if (made.length === 0) continue;
      if (pendingEvents + made.length > batchSize) await flush();
      pending.push({ row: rowNumber, cells, events: made.map((m) => m.event) });
      pendingEvents += made.length;
    }
    if (header === undefined) throw new MappingError([{ path: '(file)', message: 'the file is empty; it needs a header row' }]);
    await flush();
  }
}

/** The header of a CSV, read without reading the rest (to check every file before sending any). */
export async function readCsvHeader(input: Readable, options: { encoding?: string; delimiter?: string } = {}): Promise<string[]> {
  for await (const record of csvRecords(input, options)) return record;
  return [];
}
