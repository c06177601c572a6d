import { ms } from './funnel-model';
import type { CohortLead } from './lead-cohort';

export type SlaStatus = 'MET' | 'BREACHED' | 'PENDING';

export interface SlaClock {
  readonly status: SlaStatus;
  /** stop − start in minutes; null while the clock runs. */
  readonly minutesToFirstActivity: number | null;
  /** Some activity at or before asOf, even one before the clock started. */
  readonly followedUp: boolean;
}

const MINUTE_MS = 60_000;

/**
 * DESIGN §4 "SLA (speed to lead)" for one lead that reached MQL. The clock starts at reach(MQL)
 * (entered or inferred) and stops at the first LeadActivityLogged with start <= t <= asOf, so an
 * activity logged before the lead became an MQL does not stop it. `asOf` must be normalised UTC.
 */
export function slaClock({ lead, reach }: CohortLead, asOf: string, limitMinutes: number): SlaClock {
  const start = reach.reachedAt.MQL;
  if (start === undefined) throw new RangeError(`lead ${lead.leadId} never reached MQL: it has no SLA clock`);
  const activities = lead.events.filter((e) => e.type === 'LeadActivityLogged' && e.occurredAt <= asOf);
  const stop = activities.find((e) => e.occurredAt >= start)?.occurredAt;
  const limitMs = limitMinutes * MINUTE_MS;
  const followedUp = activities.length > 0;
  if (stop !== undefined) {
    const elapsed = ms(stop) - ms(start);
    return { status: elapsed <= limitMs ? 'MET' : 'BREACHED', minutesToFirstActivity: elapsed / MINUTE_MS, followedUp };
  }
  // A running clock breaches only once the limit has fully passed; one that starts after asOf is pending.
  return { status: ms(asOf) - ms(start) > limitMs ? 'BREACHED' : 'PENDING', minutesToFirstActivity: null, followedUp };
}
