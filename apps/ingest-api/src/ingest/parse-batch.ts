import type { FieldError } from '@funnel/contracts';

export const MAX_EVENTS_PER_REQUEST = 10_000;

export class BatchParseError extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** An input line that is not even JSON: rejected on its own in NDJSON, never dropped. */
export interface UnparseableItem {
  readonly unparseable: FieldError;
}

export type BatchItem = unknown | UnparseableItem;

export function isUnparseable(item: BatchItem): item is UnparseableItem {
  return typeof item === 'object' && item !== null && 'unparseable' in item;
}

function tooMany(n: number): BatchParseError {
  return new BatchParseError(413, 'TOO_MANY_EVENTS', `a request holds at most ${MAX_EVENTS_PER_REQUEST} events, got ${n}`);
}

/**
 * Splits a request body into raw events. JSON: `{"events":[...]}` (a bare array is accepted
 * too). NDJSON: one event per line; a line that is not JSON becomes a rejected item so its
 * valid neighbours still go in.
 */
export function parseBatch(body: string, contentType: string | undefined): BatchItem[] {
  const type = (contentType ?? 'application/json').split(';')[0].trim().toLowerCase();
  if (body.trim() === '') throw new BatchParseError(400, 'EMPTY_BODY', 'the request body is empty; send {"events":[...]}');

  if (type === 'application/x-ndjson' || type === 'application/ndjson' || type === 'application/jsonl') {
    const lines = body.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
    if (lines.length > MAX_EVENTS_PER_REQUEST) throw tooMany(lines.length);
    return lines.map((line, i) => {
      try {
        return JSON.parse(line) as unknown;
      } catch (e) {
        return { unparseable: { path: '', message: `line ${i + 1} is not valid JSON: ${(e as Error).message}` } };
      }
    });
  }
  if (type !== 'application/json') {
    throw new BatchParseError(415, 'UNSUPPORTED_MEDIA_TYPE', `Content-Type must be application/json or application/x-ndjson, got "${type}"`);
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (e) {
    throw new BatchParseError(400, 'INVALID_JSON', `the body is not valid JSON: ${(e as Error).message}`);
  }
  const events = Array.isArray(parsed) ? parsed : (parsed as { events?: unknown } | null)?.events;
  if (!Array.isArray(events)) {
    throw new BatchParseError(400, 'INVALID_BATCH', 'the body must be {"events":[...]} with an array of events');
  }
  if (events.length === 0) throw new BatchParseError(400, 'EMPTY_BATCH', '"events" is empty; send at least one event');
  if (events.length > MAX_EVENTS_PER_REQUEST) throw tooMany(events.length);
  return events;
}
