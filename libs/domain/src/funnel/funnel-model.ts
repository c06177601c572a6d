import type { FunnelEvent, LeadCaptured, LeadTouched } from '@funnel/contracts';
import { firstOf, LEAD_CHANNEL_RULE, SOURCE_CAMPAIGN_RULE } from '../rules/lead-source.rule';
import { compareStamps, type Stamp } from '../state/stamp';

/**
 * The in-memory model behind the reference metrics (DESIGN §4), built straight from a list of
 * events. Deliberately simple and unoptimised: it is the yardstick the SQL implementations are
 * tested against, so it follows the contract's wording rather than any storage layout.
 */

export const FUNNEL_STAGES = ['CAPTURED', 'MQL', 'SAL', 'SQL', 'OPPORTUNITY', 'WON'] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];
export const DIMENSIONS = ['CAMPAIGN', 'CHANNEL', 'SEGMENT', 'REGION', 'PRODUCT', 'OWNER'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
export const NONE_KEY = '(none)';

export const DAY_MS = 86_400_000;
export const ms = (iso: string) => Date.parse(iso);
export const days = (fromIso: string, toIso: string) => (ms(toIso) - ms(fromIso)) / DAY_MS;

/** A touch: a LeadTouched, or a LeadCaptured that has a campaign (touchType form_fill). */
export interface Touch extends Stamp {
  readonly leadId: string;
  readonly campaignId?: string;
  readonly channel?: string;
}

export interface LeadFacts {
  readonly leadId: string;
  /** All events whose data.leadId is this lead, in (occurredAt, id) order. */
  readonly events: FunnelEvent[];
  readonly captures: LeadCaptured[];
  readonly touches: Touch[];
  readonly opportunityIds: Set<string>;
}

export interface OpportunityFacts {
  readonly opportunityId: string;
  /** All events of this opportunity, in (occurredAt, id) order. */
  readonly events: FunnelEvent[];
  readonly leadIds: Set<string>;
}

export interface FunnelModel {
  readonly leads: Map<string, LeadFacts>;
  readonly opportunities: Map<string, OpportunityFacts>;
  /** campaignId -> channel of its latest CampaignLaunched. */
  readonly campaignChannels: Map<string, string>;
}

const byStamp = (a: Stamp, b: Stamp) => compareStamps(a, b);
const stampOf = (e: FunnelEvent): Stamp => ({ at: e.occurredAt, id: e.id });

/** Keeps the first event of each id, in list (log) order: later duplicates change nothing. */
export function dedupe(events: readonly FunnelEvent[]): FunnelEvent[] {
  const seen = new Set<string>();
  return events.filter((e) => (seen.has(e.id) ? false : (seen.add(e.id), true)));
}

export function buildFunnelModel(input: readonly FunnelEvent[]): FunnelModel {
  const events = dedupe(input).sort((a, b) => byStamp(stampOf(a), stampOf(b)));
  const leads = new Map<string, LeadFacts>();
  const opportunities = new Map<string, OpportunityFacts>();
  const campaignChannels = new Map<string, string>();
  const lead = (leadId: string) => {
    let l = leads.get(leadId);
    if (!l) leads.set(leadId, (l = { leadId, events: [], captures: [], touches: [], opportunityIds: new Set() }));
    return l;
  };
  const opportunity = (opportunityId: string) => {
    let o = opportunities.get(opportunityId);
    if (!o) opportunities.set(opportunityId, (o = { opportunityId, events: [], leadIds: new Set() }));
    return o;
  };
  const links: [string, string][] = [];

  for (const e of events) {
    if (e.type === 'CampaignLaunched') campaignChannels.set(e.data.campaignId, e.data.channel);
    if ('opportunityId' in e.data && e.type.startsWith('Opportunity')) opportunity(e.data.opportunityId).events.push(e);
    if ('leadId' in e.data) {
      const l = lead(e.data.leadId);
      l.events.push(e);
      if (e.type === 'LeadCaptured') {
        l.captures.push(e);
        if (e.data.campaignId) l.touches.push(touchOf(e));
      }
      if (e.type === 'LeadTouched') l.touches.push(touchOf(e));
      if (e.type === 'LeadConverted') links.push([e.data.leadId, e.data.opportunityId]);
    }
    if (e.type === 'OpportunityCreated') for (const leadId of e.data.leadIds ?? []) links.push([leadId, e.data.opportunityId]);
  }
  // Links are timeless and may name a lead or opportunity that has no events of its own.
  for (const [leadId, opportunityId] of links) {
    leads.get(leadId)?.opportunityIds.add(opportunityId);
    opportunity(opportunityId).leadIds.add(leadId);
  }
  return { leads, opportunities, campaignChannels };
}

function touchOf(e: LeadCaptured | LeadTouched): Touch {
  return { at: e.occurredAt, id: e.id, leadId: e.data.leadId, campaignId: e.data.campaignId, channel: e.data.channel };
}

/** Earliest OpportunityCreated of an opportunity; without one the opportunity does not count. */
export function createdOf(o: OpportunityFacts | undefined): (FunnelEvent & { type: 'OpportunityCreated' }) | undefined {
  return o?.events.find((e): e is FunnelEvent & { type: 'OpportunityCreated' } => e.type === 'OpportunityCreated');
}

/** Earliest OpportunityWon of an opportunity. */
export function firstWonOf(o: OpportunityFacts): (FunnelEvent & { type: 'OpportunityWon' }) | undefined {
  return o.events.find((e): e is FunnelEvent & { type: 'OpportunityWon' } => e.type === 'OpportunityWon');
}

/** Latest amount (OpportunityCreated or OpportunityAmountChanged) at or before `at`. */
export function amountAt(o: OpportunityFacts, at: string): number | undefined {
  let amount: number | undefined;
  for (const e of o.events) {
    if (e.occurredAt > at) break;
    if (e.type === 'OpportunityCreated' || e.type === 'OpportunityAmountChanged') amount = e.data.amount;
  }
  return amount;
}

export interface StageReach {
  /** Reach time per reached stage (entered, or inferred from a later stage). */
  readonly reachedAt: Partial<Record<FunnelStage, string>>;
  /** Stages with an explicit entry. */
  readonly entered: Set<FunnelStage>;
}

/** DESIGN §4 "Stage reach for a lead". */
export function stageReach(model: FunnelModel, l: LeadFacts): StageReach {
  const entryAt: Partial<Record<FunnelStage, string>> = {};
  if (l.captures.length > 0) entryAt.CAPTURED = l.captures[0].occurredAt;
  for (const e of l.events) {
    if (e.type === 'LeadStageChanged' && entryAt[e.data.stage] === undefined) entryAt[e.data.stage] = e.occurredAt;
  }
  for (const opportunityId of l.opportunityIds) {
    const o = model.opportunities.get(opportunityId);
    const created = createdOf(o);
    if (!o || !created) continue;
    if (entryAt.OPPORTUNITY === undefined || created.occurredAt < entryAt.OPPORTUNITY) entryAt.OPPORTUNITY = created.occurredAt;
    const won = firstWonOf(o);
    if (won && (entryAt.WON === undefined || won.occurredAt < entryAt.WON)) entryAt.WON = won.occurredAt;
  }

  const entered = new Set(FUNNEL_STAGES.filter((s) => entryAt[s] !== undefined));
  const reachedAt: Partial<Record<FunnelStage, string>> = {};
  // A skipped stage is reached at the earliest entry among the later stages.
  let earliestLater: string | undefined;
  for (let i = FUNNEL_STAGES.length - 1; i >= 1; i--) {
    const s = FUNNEL_STAGES[i];
    const at = entryAt[s];
    if (at !== undefined && (earliestLater === undefined || at < earliestLater)) earliestLater = at;
    if (at !== undefined) reachedAt[s] = at;
    else if (earliestLater !== undefined) reachedAt[s] = earliestLater;
  }
  // Every lead reached CAPTURED: by its capture, else at its earliest event.
  reachedAt.CAPTURED = entryAt.CAPTURED ?? l.events[0].occurredAt;
  return { reachedAt, entered };
}

/** The lead's key for a breakdown dimension (DESIGN §4 "Breakdowns"). */
export function leadKey(model: FunnelModel, l: LeadFacts, dimension: Dimension): string {
  const capture = l.captures[0];
  const sources = { capture: capture?.data, firstTouch: l.touches[0] };
  const sourceCampaign = firstOf(SOURCE_CAMPAIGN_RULE, sources);
  switch (dimension) {
    case 'CAMPAIGN':
      return sourceCampaign ?? NONE_KEY;
    case 'CHANNEL': {
      const campaignChannel = sourceCampaign !== undefined ? model.campaignChannels.get(sourceCampaign) : undefined;
      return firstOf(LEAD_CHANNEL_RULE, { ...sources, sourceCampaign: { channel: campaignChannel } }) ?? NONE_KEY;
    }
    case 'SEGMENT':
      return capture?.data.attributes?.segment ?? NONE_KEY;
    case 'REGION':
      return capture?.data.attributes?.region ?? NONE_KEY;
    case 'PRODUCT':
      return capture?.data.attributes?.product ?? NONE_KEY;
    case 'OWNER': {
      const assigned = l.events.filter((e) => e.type === 'LeadAssigned');
      const last = assigned[assigned.length - 1];
      return last?.type === 'LeadAssigned' ? last.data.ownerId : NONE_KEY;
    }
  }
}

/** PERCENTILE.INC over unsorted values; undefined for none. */
export function percentileInc(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const x = [...values].sort((a, b) => a - b);
  const h = (x.length - 1) * p;
  const lo = Math.floor(h);
  return lo + 1 < x.length ? x[lo] + (h - lo) * (x[lo + 1] - x[lo]) : x[lo];
}

/** Half-open period test on ISO-8601 UTC strings. */
export const inPeriod = (at: string | undefined, from: string, to: string) => at !== undefined && at >= from && at < to;
