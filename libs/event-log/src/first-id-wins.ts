import type { LogEvent } from '@funnel/contracts';
import type { AppendResult } from './event-log.port';

/** The first event of each id, in input order: later ones in the same call are duplicates. */
export function firstOfEachId(events: readonly LogEvent[]): LogEvent[] {
  const seen = new Set<string>();
  return events.filter((event) => !seen.has(event.id) && seen.add(event.id));
}

/**
 * Classifies every input event, in input order, once the log has said which ids it newly
 * `written`: an event is accepted only as the first of its id in the call, so a repeated id is
 * reported once per extra occurrence, exactly as the ingest response counts duplicates.
 */
export function appendResultOf(events: readonly LogEvent[], written: ReadonlySet<string>): AppendResult {
  const accepted: string[] = [];
  const duplicates: string[] = [];
  const seen = new Set<string>();
  for (const { id } of events) {
    if (written.has(id) && !seen.has(id)) accepted.push(id);
    else duplicates.push(id);
    seen.add(id);
  }
  return { accepted, duplicates };
}
