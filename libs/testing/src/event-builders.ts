import type { FunnelEvent, FunnelEventType, LeadStage } from '@funnel/contracts';
import { seededRandom, shuffled } from './event-generator';

type EventOf<T extends FunnelEventType> = Extract<FunnelEvent, { type: T }>;

/**
 * Terse hand-written fixtures for the metric specs: ids are numbered in call order, times accept
 * any ISO-8601 form and are normalised the way ingest does (UTC, milliseconds).
 */
export function funnelEventBuilder(prefix = 'e') {
  let n = 0;
  const ev = <T extends FunnelEventType>(type: T, occurredAt: string, data: EventOf<T>['data']): EventOf<T> =>
    ({ id: `${prefix}${++n}`, type, occurredAt: new Date(occurredAt).toISOString(), schemaVersion: 1, data }) as EventOf<T>;
  return {
    ev,
    captured: (leadId: string, at: string, data: Partial<EventOf<'LeadCaptured'>['data']> = {}) => ev('LeadCaptured', at, { leadId, ...data }),
    touched: (leadId: string, at: string, channel: string, campaignId?: string) =>
      ev('LeadTouched', at, { leadId, channel, campaignId, touchType: 'ad_click' }),
    scored: (leadId: string, at: string, score: number) => ev('LeadScored', at, { leadId, score }),
    stage: (leadId: string, at: string, stage: LeadStage) => ev('LeadStageChanged', at, { leadId, stage }),
    assigned: (leadId: string, at: string, ownerId: string) => ev('LeadAssigned', at, { leadId, ownerId }),
    activity: (leadId: string, at: string) => ev('LeadActivityLogged', at, { leadId, activityType: 'call' }),
    dispositioned: (leadId: string, at: string) => ev('LeadDispositioned', at, { leadId, disposition: 'no_fit' }),
    recycled: (leadId: string, at: string) => ev('LeadRecycled', at, { leadId }),
    converted: (leadId: string, at: string, opportunityId: string) => ev('LeadConverted', at, { leadId, opportunityId }),
    created: (opportunityId: string, at: string, leadIds: string[] = [], amount = 1000) =>
      ev('OpportunityCreated', at, { opportunityId, leadIds, amount }),
    won: (opportunityId: string, at: string, amount?: number) => ev('OpportunityWon', at, { opportunityId, amount }),
    lost: (opportunityId: string, at: string) => ev('OpportunityLost', at, { opportunityId, reason: 'price' }),
    reopened: (opportunityId: string, at: string) => ev('OpportunityReopened', at, { opportunityId }),
    launched: (campaignId: string, at: string, channel: string) => ev('CampaignLaunched', at, { campaignId, name: campaignId, channel }),
  };
}

/**
 * The same log as a consumer may see it: shuffled across subjects and with about a third of the
 * events redelivered. Redeliveries are exact copies, so whichever copy comes first is the same event.
 */
export function redelivered<T>(events: readonly T[], seed: number): T[] {
  const rnd = seededRandom(seed);
  return shuffled([...events, ...events.filter(() => rnd() < 0.3)], seed + 1);
}
