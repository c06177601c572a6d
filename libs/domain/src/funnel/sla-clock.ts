import { ms } from './funnel-model';
import type { CohortLead } from './lead-cohort';
import { CALENDAR_MINUTES, slaDeadlineMs, workingMsBetween, type SlaCalendar } from './sla-calendar';

export type SlaStatus = 'MET' | 'BREACHED' | 'PENDING';

export interface SlaClock {
  readonly status: SlaStatus;
  /** stop − start in minutes (working minutes under working hours); null while the clock runs. */
  readonly minutesToFirstActivity: number | null;
  /** Some activity at or before asOf, even one before the clock started. */
  readonly followedUp: boolean;
}

const MINUTE_MS = 60_000;

/**
 * DESIGN §4 "SLA (speed to lead)" for one lead that reached MQL. The clock starts at reach(MQL)
 * (entered or inferred) and stops at the first LeadActivityLogged with start <= t <= asOf, so an
 * activity logged before the lead became an MQL does not stop it. `asOf` must be normalised UTC.
 * The clock is due at `slaDeadlineMs` (start + limit, counted in working minutes when the
 * definition has working hours): it is met if it stopped by then.
 */
export function slaClock({ lead, reach }: CohortLead, asOf: string, limitMinutes: number, calendar: SlaCalendar = CALENDAR_MINUTES): SlaClock {
  const start = reach.reachedAt.MQL;
  if (start === undefined) throw new RangeError(`lead ${lead.leadId} never reached MQL: it has no SLA clock`);
  const activities = lead.events.filter((e) => e.type === 'LeadActivityLogged' && e.occurredAt <= asOf);
  const stop = activities.find((e) => e.occurredAt >= start)?.occurredAt;
  const deadline = slaDeadlineMs(calendar, ms(start), limitMinutes);
  const followedUp = activities.length > 0;
  if (stop !== undefined) {
    const minutes = workingMsBetween(calendar, ms(start), ms(stop)) / MINUTE_MS;
    return { status: ms(stop) <= deadline ? 'MET' : 'BREACHED', minutesToFirstActivity: minutes, followedUp };
  }
  // A running clock breaches only once the limit has fully passed; one that starts after asOf is pending.
  return { status: ms(asOf) > deadline ? 'BREACHED' : 'PENDING', minutesToFirstActivity: null, followedUp };
}
