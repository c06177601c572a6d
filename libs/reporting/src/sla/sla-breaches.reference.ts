import { SLA_LEVELS, type FunnelEvent, type SlaLevel } from '@funnel/contracts';
import { buildFunnelModel, cohortOf, leadKey, slaClock, slaDeadline, toInstant, type SlaCalendar } from '@funnel/domain';
import type { SlaBreach } from './sla-breaches.sql';

/**
 * The test oracle of runSlaBreaches (DESIGN §7): every lead that reached MQL by `now` whose clock
 * breached by then (BREACHED), and whose clock of twice the limit did too (ESCALATED).
 */
export function slaBreaches(events: readonly FunnelEvent[], opts: { now: string; speedToLeadMinutes: number; calendar: SlaCalendar }): SlaBreach[] {
  const model = buildFunnelModel(events);
  const now = toInstant(opts.now);
  const limits: Record<SlaLevel, number> = { BREACHED: opts.speedToLeadMinutes, ESCALATED: 2 * opts.speedToLeadMinutes };
  return cohortOf(model, 'MQL', '0001-01-01T00:00:00.000Z', now).flatMap((c) => {
    const mqlAt = c.reach.reachedAt.MQL as string;
    const owner = leadKey(model, c.lead, 'OWNER');
    return SLA_LEVELS.filter((level) => slaClock(c, now, limits[level], opts.calendar).status === 'BREACHED').map((level) => ({
      leadId: c.lead.leadId,
      level,
      deadline: slaDeadline(opts.calendar, mqlAt, limits[level]),
      mqlAt,
      ownerId: owner === '(none)' ? null : owner,
    }));
  });
}
