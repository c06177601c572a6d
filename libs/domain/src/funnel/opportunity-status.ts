import type { FunnelEvent } from '@funnel/contracts';
import type { OpportunityStatus } from '../state/opportunity.state';
import { amountAt, createdOf, type OpportunityFacts } from './funnel-model';

/**
 * An opportunity's status and won amount as of an instant (DESIGN §4 "Stalled opportunities",
 * "Pipeline velocity"), shared by the reference metrics so each rule lives in one place.
 */

type StatusEvent = FunnelEvent & { type: 'OpportunityWon' | 'OpportunityLost' | 'OpportunityReopened' };
export type OpportunityWonEvent = FunnelEvent & { type: 'OpportunityWon' };

/** Normalises an instant to the events' ISO UTC millisecond form, so string order is time order. */
export function toInstant(iso: string): string {
  return new Date(iso).toISOString();
}

/** The latest won/lost/reopened event at or before `at`; o.events is in (occurredAt, id) order, so ties go to the larger id. */
export function statusEventAt(o: OpportunityFacts, at: string): StatusEvent | undefined {
  let last: StatusEvent | undefined;
  for (const e of o.events) {
    if (e.occurredAt > at) break;
    if (e.type === 'OpportunityWon' || e.type === 'OpportunityLost' || e.type === 'OpportunityReopened') last = e;
  }
  return last;
}

export function statusOf(e: StatusEvent | undefined): OpportunityStatus {
  return e?.type === 'OpportunityWon' ? 'won' : e?.type === 'OpportunityLost' ? 'lost' : 'open';
}

/** Open at T: created at or before T and, by the status-setting event, open (never closed, or reopened). */
export function isOpenAt(o: OpportunityFacts, at: string): boolean {
  const created = createdOf(o);
  return created !== undefined && created.occurredAt <= at && statusOf(statusEventAt(o, at)) === 'open';
}

/**
 * The amount a win is worth: its own amount, else the latest created/amount-changed amount at or
 * before it; 0 when there is none (a win recorded before any amount, in business time).
 */
export function wonAmount(o: OpportunityFacts, won: OpportunityWonEvent): number {
  return won.data.amount ?? amountAt(o, won.occurredAt) ?? 0;
}
