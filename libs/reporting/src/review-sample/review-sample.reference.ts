import type { FunnelEvent } from '@funnel/contracts';
import { buildFunnelModel, inPeriod, ms, stageReach, type ReviewStratum } from '@funnel/domain';
import type { StallDays } from '../stalled/stalled.rows';
import { stalledOpportunities } from '../stalled/stalled.reference';
import { reviewSample, reviewWeek, type ReviewSample } from './review-sample.rows';

export interface ReviewSampleOptions {
  readonly weekOf: string;
  readonly size: number;
  readonly seed: number;
  readonly speedToLeadMinutes: number;
  readonly stallDays: StallDays;
}

/** The members of each stratum, read straight from DESIGN §4 "Weekly review sample". */
export function reviewStrata(events: readonly FunnelEvent[], opts: Omit<ReviewSampleOptions, 'size' | 'seed'>): Record<ReviewStratum, string[]> {
  const model = buildFunnelModel(events);
  const { from, to } = reviewWeek(opts.weekOf);
  const strata: Record<ReviewStratum, string[]> = { ACCEPTED: [], REJECTED: [], SLA_BREACHED: [], STALLED: [] };
  for (const lead of model.leads.values()) {
    const reach = stageReach(model, lead);
    if (reach.entered.has('SAL') && inPeriod(reach.reachedAt.SAL, from, to)) strata.ACCEPTED.push(lead.leadId);
    if (lead.events.some((e) => e.type === 'LeadDispositioned' && inPeriod(e.occurredAt, from, to))) strata.REJECTED.push(lead.leadId);
    const start = reach.reachedAt.MQL;
    if (start === undefined) continue;
    const deadline = ms(start) + opts.speedToLeadMinutes * 60_000;
    const followedUp = lead.events.some((e) => e.type === 'LeadActivityLogged' && ms(e.occurredAt) >= ms(start) && ms(e.occurredAt) <= deadline);
    if (deadline >= ms(from) && deadline < ms(to) && !followedUp) strata.SLA_BREACHED.push(lead.leadId);
  }
  strata.STALLED = stalledOpportunities(events, { asOf: to, stallDays: opts.stallDays }).map((o) => o.id);
  return strata;
}

export function reviewSampleReference(events: readonly FunnelEvent[], opts: ReviewSampleOptions): ReviewSample {
  return reviewSample(opts.weekOf, opts.size, opts.seed, reviewStrata(events, opts));
}
