import type { FunnelEvent } from '@funnel/contracts';
// libs/testing is not part of the build; a relative import compiles just this file into dist.
import { generateFunnelEvents } from '../libs/testing/src/event-generator';
import { progress } from './common';

const LEADS_PER_CHUNK = 10_000;
const WEEK_MS = 7 * 86_400_000;
const ORIGIN = Date.parse('2026-01-01T00:00:00.000Z');

/**
 * The first `count` events of a stream made of chunks of 10,000 leads, each with its own id
 * prefix, seed and campaigns, and starting a week after the previous one: a business that keeps
 * capturing leads. ~7.2 events per lead, so 1,000,000 events is ~140,000 leads. Streams with
 * different `firstChunk`s (far enough apart) share no event or lead id.
 */
export function generateStream(count: number, firstChunk = 0): { events: FunnelEvent[]; leads: number } {
  const events: FunnelEvent[] = [];
  const tick = progress('generating', count);
  let leads = 0;
  for (let chunk = firstChunk; events.length < count; chunk++) {
    const part = generateFunnelEvents({
      leads: LEADS_PER_CHUNK,
      seed: chunk + 1,
      prefix: `b${chunk}`,
      start: new Date(ORIGIN + chunk * WEEK_MS).toISOString(),
    });
    const take = Math.min(part.length, count - events.length);
    for (let i = 0; i < take; i++) events.push(part[i]);
    leads += take === part.length ? LEADS_PER_CHUNK : countLeads(part.slice(0, take));
    tick(events.length);
  }
  return { events, leads };
}

function countLeads(events: readonly FunnelEvent[]): number {
  return new Set(events.flatMap((e) => ('leadId' in e.data ? [e.data.leadId] : []))).size;
}

/** The business-time range of a stream: [first day, day after the last event). */
export function periodOf(events: readonly FunnelEvent[]): { from: string; to: string } {
  let min = Infinity;
  let max = -Infinity;
  for (const e of events) {
    const t = Date.parse(e.occurredAt);
    if (t < min) min = t;
    if (t > max) max = t;
  }
  const day = 86_400_000;
  return { from: new Date(Math.floor(min / day) * day).toISOString(), to: new Date((Math.floor(max / day) + 1) * day).toISOString() };
}
