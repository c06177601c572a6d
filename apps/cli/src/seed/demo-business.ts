import type { Disposition, FunnelEvent, FunnelEventType, LostReason, TouchType } from '@funnel/contracts';
import { DEFAULT_DEFINITION_FIELDS } from '@funnel/domain';
import { SeededRandom } from './random';

/**
 * A synthetic B2B software company for demos, screenshots and trying the reports: a year of
 * campaigns across five channels with their monthly costs, leads that are touched, scored,
 * routed and followed up by SDRs of very different speed, qualified with BANT and converted into
 * opportunities that AEs win, lose or let stall. The story is told in business time up to
 * `asOf`; whatever would happen later has not happened yet, so recent leads are still open.
 * Pure and deterministic: the same options give the same events, ids included.
 */
export interface DemoOptions {
  readonly leads: number;
  readonly seed: number;
  /** The story's "now": every event occurs before it. */
  readonly asOf: Date;
  /** How far back the story starts (default 12). */
  readonly months?: number;
  /** Prefix of every id, so two demo businesses can share a server (default `demo`). */
  readonly prefix?: string;
}

/** An event as POST /v1/events takes it. */
export interface DemoEvent<T extends FunnelEventType = FunnelEventType> {
  readonly id: string;
  readonly type: T;
  readonly occurredAt: string;
  readonly source: string;
  readonly data: DataOf<T>;
}

type DataOf<T extends FunnelEventType> = Extract<FunnelEvent, { type: T }>['data'];

export const DEMO_SOURCE = 'funnel seed --demo';
/** DESIGN §3's default fallback queue: "nobody owns this yet". */
export const FALLBACK_QUEUE = 'fallback';
export const FALLBACK_OWNER = 'queue-unrouted';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
// The story follows the default funnel definition (version 1), so its reports read naturally.
const { mqlMinScore, speedToLeadMinutes, sqlMaxTimelineDays } = DEFAULT_DEFINITION_FIELDS;

type Channel = 'paid_search' | 'webinar' | 'events' | 'content' | 'outbound';
type Segment = 'smb' | 'mid' | 'ent';
type Region = 'na' | 'emea' | 'apac';

interface CampaignPlan {
  readonly key: string;
  readonly name: string;
  readonly channel: Channel;
  /** Active span as fractions of the story (0 = its start, 1 = asOf). */
  readonly from: number;
  readonly to: number;
  /** Cost booked at the start of each calendar month it runs, or once at launch. */
  readonly monthlyCost?: number;
  readonly oneOffCost?: number;
  /** Leads per active day, relative to the other campaigns. */
  readonly intensity: number;
  /** 0–1: how engaged and how well fitted its leads tend to be. */
  readonly quality: number;
  /** Extra weight on enterprise leads. */
  readonly enterprise?: number;
}

const CAMPAIGNS: readonly CampaignPlan[] = [
  { key: 'search-brand', name: 'Search: brand terms', channel: 'paid_search', from: 0, to: 1, monthlyCost: 4500, intensity: 8, quality: 0.75 },
  { key: 'search-generic', name: 'Search: funnel analytics (generic)', channel: 'paid_search', from: 0, to: 1, monthlyCost: 12_000, intensity: 14, quality: 0.3 },
  { key: 'search-competitor', name: 'Search: competitor terms', channel: 'paid_search', from: 0.45, to: 1, monthlyCost: 7000, intensity: 6, quality: 0.5 },
  { key: 'webinar-forecasting', name: 'Webinar: Forecasting without spreadsheets', channel: 'webinar', from: 0.05, to: 0.18, oneOffCost: 6000, intensity: 16, quality: 0.6 },
  { key: 'webinar-benchmarks', name: 'Webinar: RevOps benchmarks', channel: 'webinar', from: 0.3, to: 0.43, oneOffCost: 6500, intensity: 16, quality: 0.6 },
  { key: 'webinar-mql-gap', name: 'Webinar: Closing the MQL-to-SQL gap', channel: 'webinar', from: 0.55, to: 0.68, oneOffCost: 7500, intensity: 18, quality: 0.65 },
  { key: 'webinar-planning', name: 'Webinar: Pipeline planning for next year', channel: 'webinar', from: 0.82, to: 0.95, oneOffCost: 7500, intensity: 16, quality: 0.6 },
  { key: 'event-saas-summit', name: 'Event: SaaS Summit booth', channel: 'events', from: 0.36, to: 0.41, oneOffCost: 42_000, intensity: 40, quality: 0.5, enterprise: 20 },
  { key: 'event-revops-forum', name: 'Event: RevOps Forum roadshow', channel: 'events', from: 0.72, to: 0.76, oneOffCost: 28_000, intensity: 35, quality: 0.55, enterprise: 15 },
  { key: 'content-benchmark', name: 'Content: B2B funnel benchmark report', channel: 'content', from: 0, to: 1, monthlyCost: 3000, intensity: 10, quality: 0.45 },
  { key: 'content-blog', name: 'Content: blog and SEO', channel: 'content', from: 0, to: 1, monthlyCost: 2500, intensity: 9, quality: 0.3 },
  { key: 'outbound-enterprise', name: 'Outbound: enterprise accounts', channel: 'outbound', from: 0, to: 1, monthlyCost: 9000, intensity: 5, quality: 0.6, enterprise: 40 },
  { key: 'outbound-midmarket', name: 'Outbound: mid-market sequence', channel: 'outbound', from: 0.25, to: 1, monthlyCost: 6500, intensity: 5, quality: 0.5 },
];

const TOUCH_TYPE: Readonly<Record<Channel, TouchType>> = {
  paid_search: 'ad_click',
  webinar: 'webinar',
  events: 'event',
  content: 'content_download',
  outbound: 'email_click',
};

/** SDRs by territory; their follow-up speed is the story's speed-to-lead contrast. */
const SDRS: Readonly<Record<string, { readonly region: Region; readonly medianHours: number; readonly neverFollowsUp: number }>> = {
  'sdr-ana': { region: 'na', medianHours: 1.5, neverFollowsUp: 0.01 },
  'sdr-ben': { region: 'na', medianHours: 9, neverFollowsUp: 0.03 },
  'sdr-chloe': { region: 'emea', medianHours: 30, neverFollowsUp: 0.08 },
  'sdr-dan': { region: 'emea', medianHours: 3, neverFollowsUp: 0.02 },
  'sdr-eli': { region: 'apac', medianHours: 16, neverFollowsUp: 0.06 },
};
const SDRS_BY_REGION: Readonly<Record<Region, Readonly<Record<string, number>>>> = {
  na: { 'sdr-ana': 55, 'sdr-ben': 45 },
  emea: { 'sdr-chloe': 50, 'sdr-dan': 50 },
  apac: { 'sdr-eli': 1 },
};

/** AEs: how often they win, how reliably they set next steps, how often a deal of theirs goes dark. */
const AES: Readonly<Record<string, { readonly winRate: number; readonly nextSteps: number; readonly goesDark: number }>> = {
  'ae-frank': { winRate: 0.48, nextSteps: 0.95, goesDark: 0.08 },
  'ae-grace': { winRate: 0.38, nextSteps: 0.85, goesDark: 0.12 },
  'ae-hugo': { winRate: 0.26, nextSteps: 0.5, goesDark: 0.3 },
};
const AES_BY_SEGMENT: Readonly<Record<Segment, Readonly<Record<string, number>>>> = {
  smb: { 'ae-grace': 40, 'ae-hugo': 60 },
  mid: { 'ae-frank': 30, 'ae-grace': 40, 'ae-hugo': 30 },
  ent: { 'ae-frank': 65, 'ae-grace': 35 },
};

const OPPORTUNITY_STAGES = ['discovery', 'demo', 'proposal', 'negotiation'] as const;
const STAGE_DAYS = [8, 12, 14, 10];
const NEXT_STEPS = ['Book a demo with the buying committee', 'Send the proposal', 'Security review call', 'Legal redlines'];
const SEGMENT_PACE: Readonly<Record<Segment, number>> = { smb: 0.8, mid: 1.2, ent: 1.7 };
const DEAL_SIZE: Readonly<Record<Segment, number>> = { smb: 11_000, mid: 38_000, ent: 140_000 };
const INDUSTRIES = ['software', 'financial_services', 'manufacturing', 'healthcare', 'retail', 'logistics'];
const COMPANY_SIZES: Readonly<Record<Segment, readonly string[]>> = { smb: ['1-50', '51-200'], mid: ['201-1000'], ent: ['1001-5000', '5000+'] };
const PRODUCTS: Readonly<Record<Segment, Readonly<Record<string, number>>>> = {
  smb: { core: 80, plus: 20 },
  mid: { core: 40, plus: 50, enterprise: 10 },
  ent: { plus: 40, enterprise: 60 },
};

interface Draft {
  readonly at: number;
  readonly subject: string;
  readonly type: FunnelEventType;
  readonly data: object;
}

type Add = <T extends FunnelEventType>(at: number, subject: string, type: T, data: DataOf<T>) => void;

interface AccountOpportunity {
  readonly id: string;
  readonly from: number;
  readonly until: number;
}

export function generateDemoBusiness(options: DemoOptions): DemoEvent[] {
  const { leads: leadCount, seed, months = 12, prefix = 'demo' } = options;
  const rnd = new SeededRandom(seed);
  const end = options.asOf.getTime();
  const start = end - Math.round((months * 365.25) / 12) * DAY;
  const span = end - start;
  const drafts: Draft[] = [];
  const add: Add = (at, subject, type, data) => {
    drafts.push({ at, subject, type, data });
  };

  // Campaigns: launched, and their costs booked. Those running at asOf have booked its month.
  const campaigns = CAMPAIGNS.map((plan) => ({
    ...plan,
    id: `${prefix}-${plan.key}`,
    starts: start + plan.from * span,
    ends: plan.to >= 1 ? nextMonth(end) : start + plan.to * span,
  }));
  type Campaign = (typeof campaigns)[number];
  for (const c of campaigns) {
    const budget = c.oneOffCost ?? Math.round(((c.monthlyCost ?? 0) * (c.ends - c.starts)) / (30 * DAY));
    add(c.starts, c.id, 'CampaignLaunched', { campaignId: c.id, name: c.name, channel: c.channel, budget });
    if (c.oneOffCost !== undefined) {
      add(c.starts, c.id, 'CampaignCostRecorded', { campaignId: c.id, amount: c.oneOffCost, periodStart: iso(c.starts), periodEnd: iso(c.ends) });
    }
    for (const [from, to] of c.monthlyCost === undefined ? [] : calendarMonths(c.starts, c.ends)) {
      const amount = Math.round((c.monthlyCost ?? 0) * ((to - from) / monthLength(from)));
      add(from, c.id, 'CampaignCostRecorded', { campaignId: c.id, amount, periodStart: iso(from), periodEnd: iso(to) });
    }
  }
  const activeAt = (t: number, channels?: readonly Channel[]) =>
    campaigns.filter((c) => c.starts <= t && t < c.ends && (!channels || channels.includes(c.channel)));
  const pickCampaign = (choices: readonly Campaign[]): Campaign | undefined => {
    if (choices.length === 0) return undefined;
    return rnd.choose(choices.map((c) => [c, c.intensity] as const));
  };

  // Capture times: growing about 60% over the story, mostly on weekdays, in office hours.
  const growth = 0.6;
  const captures = Array.from({ length: leadCount }, () => {
    const u = rnd.next();
    const x = (-1 + Math.sqrt(1 + 2 * growth * u * (1 + growth / 2))) / growth;
    let t = start + x * span;
    const weekday = new Date(t).getUTCDay();
    if ((weekday === 0 || weekday === 6) && rnd.chance(0.75)) t += (weekday === 6 ? 2 : 1) * DAY;
    const midnight = Math.floor(t / DAY) * DAY;
    return Math.min(midnight + rnd.between(7, 19) * HOUR, end - MINUTE);
  }).sort((a, b) => a - b);

  const accounts = { mid: Math.max(3, Math.round(leadCount * 0.3)), ent: Math.max(2, Math.round(leadCount * 0.025)) };
  const accountOpportunities = new Map<string, AccountOpportunity[]>();
  let opportunityCount = 0;

  captures.forEach((capturedAt, i) => {
    const leadId = `${prefix}-L${String(i + 1).padStart(5, '0')}`;
    const source = pickCampaign(activeAt(capturedAt)) ?? campaigns[0];
    const segment = rnd.weighted<Segment>({ smb: 50, mid: 35, ent: 15 + (source.enterprise ?? 0) });
    const region = rnd.weighted<Region>({ na: 50, emea: 35, apac: 15 });
    const accountId =
      segment === 'smb' ? `${prefix}-A-${leadId.slice(prefix.length + 2)}` : `${prefix}-A-${segment}${rnd.int(1, accounts[segment])}`;

    // Touches before the capture (ads, content, webinars of the time) and organic visits.
    const priorTouches = rnd.choose([[0, 35], [1, 30], [2, 20], [3, 15]]);
    const touchTimes = Array.from({ length: priorTouches }, () => capturedAt - rnd.between(1 * HOUR, 45 * DAY)).sort((a, b) => a - b);
    for (const t of touchTimes) {
      if (t < start) continue;
      const campaign = rnd.chance(0.3) ? undefined : pickCampaign(activeAt(t, ['paid_search', 'content', 'webinar', 'events']));
      add(t, leadId, 'LeadTouched', campaign
        ? { leadId, campaignId: campaign.id, channel: campaign.channel, touchType: TOUCH_TYPE[campaign.channel] }
        : { leadId, channel: 'organic_search', touchType: 'web_visit' });
    }

    const outbound = source.channel === 'outbound';
    const sdrOf = () => rnd.weighted(SDRS_BY_REGION[region]);
    const sourcingSdr = outbound ? sdrOf() : undefined;
    add(capturedAt, leadId, 'LeadCaptured', {
      leadId,
      accountId,
      campaignId: source.id,
      channel: source.channel,
      ...(sourcingSdr ? { ownerId: sourcingSdr } : {}),
      attributes: {
        segment,
        region,
        product: rnd.weighted(PRODUCTS[segment]),
        industry: rnd.pick(INDUSTRIES),
        companySize: rnd.pick(COMPANY_SIZES[segment]),
      },
    });

    // Scoring: fit from the firmographics, engagement from the source and the touches.
    const fit = clamp(Math.round({ smb: 45, mid: 60, ent: 72 }[segment] + 14 * rnd.normal()), 0, 100);
    let engagement = clamp(Math.round(31 + 40 * source.quality + 7 * priorTouches + 14 * rnd.normal()), 0, 100);
    let score = Math.round((fit + engagement) / 2);
    let scoredAt = capturedAt + rnd.between(2, 30) * MINUTE;
    add(scoredAt, leadId, 'LeadScored', { leadId, score, fit, engagement });

    let ownerId: string;
    let assignedAt: number;
    let followUpAt: number | undefined;
    let accepted: number | undefined;
    let mqlAt: number | undefined;
    let lowScoreMql = false;
    if (sourcingSdr) {
      // Outbound: the SDR sourced the lead and works it at once; a reply means accepted, no MQL.
      ownerId = sourcingSdr;
      assignedAt = capturedAt;
      add(capturedAt + MINUTE, leadId, 'LeadAssigned', { leadId, ownerId, rule: 'outbound: sourced by SDR' });
      followUpAt = capturedAt + rnd.between(5, 60) * MINUTE;
      if (rnd.chance(0.3)) accepted = capturedAt + rnd.between(2, 12) * DAY;
    } else {
      if (score >= mqlMinScore) {
        mqlAt = scoredAt + rnd.between(1, 20) * MINUTE;
      } else if (rnd.chance(source.channel === 'events' ? 0.12 : 0.03)) {
        // Marketing pushes some leads to MQL by hand (badge scans, "hot" lists): pipeline by fiction.
        mqlAt = scoredAt + rnd.between(1, 3) * DAY;
        lowScoreMql = true;
      } else if (rnd.chance(0.35)) {
        // Nurture: some come back weeks later, engaged enough to qualify.
        const back = scoredAt + rnd.between(7, 60) * DAY;
        const nurture = pickCampaign(activeAt(back, ['content', 'webinar']));
        add(back, leadId, 'LeadTouched', nurture
          ? { leadId, campaignId: nurture.id, channel: nurture.channel, touchType: 'email_click' }
          : { leadId, channel: 'organic_search', touchType: 'web_visit' });
        engagement = clamp(engagement + rnd.int(15, 40), 0, 100);
        score = Math.round((fit + engagement) / 2);
        scoredAt = back + rnd.between(5, 60) * MINUTE;
        add(scoredAt, leadId, 'LeadScored', { leadId, score, fit, engagement });
        if (score >= mqlMinScore) mqlAt = scoredAt + rnd.between(1, 20) * MINUTE;
      }
      if (mqlAt === undefined) return;
      add(mqlAt, leadId, 'LeadStageChanged', { leadId, stage: 'MQL' });

      // Routing: by territory, except leads no rule matches, which wait in the fallback queue.
      assignedAt = mqlAt + rnd.between(1, 10) * MINUTE;
      if (rnd.chance(0.07)) {
        add(assignedAt, leadId, 'LeadAssigned', { leadId, ownerId: FALLBACK_OWNER, queue: FALLBACK_QUEUE, rule: 'no territory match' });
        if (!rnd.chance(0.65)) return;
        assignedAt += rnd.between(2, 48) * HOUR;
        ownerId = sdrOf();
        add(assignedAt, leadId, 'LeadAssigned', { leadId, ownerId, rule: 'manual triage' });
      } else {
        ownerId = sdrOf();
        add(assignedAt, leadId, 'LeadAssigned', { leadId, ownerId, rule: `territory: ${region}` });
      }
      const sdr = SDRS[ownerId];
      if (!rnd.chance(sdr.neverFollowsUp)) followUpAt = assignedAt + rnd.logNormal(sdr.medianHours, 1) * HOUR;
    }

    if (followUpAt === undefined) {
      // Nobody called; a pipeline review closes half of these weeks later.
      if (rnd.chance(0.5)) {
        add(assignedAt + rnd.between(14, 30) * DAY, leadId, 'LeadDispositioned', { leadId, disposition: 'no_contact', note: 'never followed up; closed in pipeline review' });
      }
      return;
    }
    add(followUpAt, leadId, 'LeadActivityLogged', { leadId, ownerId, activityType: rnd.chance(0.6) ? 'call' : 'email' });
    let lastActivity = followUpAt;
    for (let k = rnd.int(1, 4); k > 0; k--) {
      lastActivity += rnd.between(0.5, 5) * DAY;
      add(lastActivity, leadId, 'LeadActivityLogged', { leadId, ownerId, activityType: rnd.pick(['call', 'email', 'email', 'meeting'] as const) });
    }

    // Acceptance: better leads, and leads called back fast, are accepted more often.
    const minutesToFollowUp = (followUpAt - (mqlAt ?? capturedAt)) / MINUTE;
    const speed = minutesToFollowUp <= 60 ? 1.15 : minutesToFollowUp <= speedToLeadMinutes ? 1 : minutesToFollowUp <= 3 * speedToLeadMinutes ? 0.7 : 0.45;
    if (mqlAt !== undefined) {
      const pAccept = clamp(0.3 + 0.012 * (score - 50), 0.15, 0.8) * speed * (lowScoreMql ? 0.5 : 1);
      if (rnd.chance(pAccept)) accepted = followUpAt + rnd.between(0.2, 4) * DAY;
    }
    if (accepted === undefined) {
      const disposition = rnd.weighted<Disposition>({ no_fit: 30, no_timing: 25, no_contact: speed < 1 ? 40 : 20, competitor: 10, duplicate: 5, other: 5 });
      const at = followUpAt + rnd.between(2, 14) * DAY;
      add(at, leadId, 'LeadDispositioned', { leadId, disposition });
      if (disposition === 'no_timing' && rnd.chance(0.4)) {
        add(at + rnd.between(30, 90) * DAY, leadId, 'LeadRecycled', { leadId, reason: 'revisit next quarter' });
      }
      return;
    }
    add(accepted, leadId, 'LeadStageChanged', { leadId, stage: 'SAL' });

    // Qualification (BANT): most SQLs meet it, a few are pushed through without it.
    const qualifiedAt = accepted + rnd.between(1, 7) * DAY;
    const budget = rnd.chance(segment === 'ent' ? 0.8 : 0.68);
    const authority = rnd.chance(0.62);
    const need = rnd.chance(0.88);
    const timelineDays = rnd.choose([[30, 20], [45, 20], [60, 20], [90, 20], [120, 12], [180, 8]]);
    add(qualifiedAt, leadId, 'LeadQualificationUpdated', { leadId, budget, authority, need, timelineDays });
    const meetsBant = budget && authority && need && timelineDays <= sqlMaxTimelineDays;
    if (!rnd.chance(meetsBant ? 0.85 : 0.12)) {
      if (rnd.chance(0.5)) {
        add(qualifiedAt + rnd.between(7, 30) * DAY, leadId, 'LeadDispositioned', { leadId, disposition: rnd.pick(['no_timing', 'no_fit'] as const) });
      }
      return;
    }
    const sqlAt = qualifiedAt + rnd.between(0, 2) * DAY;
    add(sqlAt, leadId, 'LeadStageChanged', { leadId, stage: 'SQL' });
    if (!rnd.chance(0.88)) return;

    // The opportunity: a second lead of an account with an open deal joins it (a buying committee).
    const createdAt = sqlAt + rnd.between(0.5, 5) * DAY;
    const open = accountOpportunities.get(accountId)?.find((o) => o.from <= createdAt && createdAt < o.until);
    if (open && segment !== 'smb') {
      add(createdAt, leadId, 'LeadConverted', { leadId, opportunityId: open.id, accountId });
      return;
    }
    const opportunityId = `${prefix}-O${String(++opportunityCount).padStart(5, '0')}`;
    const ae = rnd.weighted(AES_BY_SEGMENT[segment]);
    const amount = roundTo(rnd.logNormal(DEAL_SIZE[segment], 0.4), 500);
    add(createdAt, leadId, 'LeadConverted', { leadId, opportunityId, accountId });
    add(createdAt, opportunityId, 'OpportunityCreated', { opportunityId, accountId, leadIds: [leadId], ownerId: ae, amount, stage: 'discovery' });

    const closedAt = opportunityCourse(rnd, add, { opportunityId, ae, segment, createdAt, speed, amount });
    const list = accountOpportunities.get(accountId) ?? [];
    list.push({ id: opportunityId, from: createdAt, until: closedAt });
    accountOpportunities.set(accountId, list);
  });

  // What has happened by asOf, in business-time order; ids count each subject's events.
  const perSubject = new Map<string, number>();
  return drafts
    .map((d) => ({ ...d, at: Math.round(d.at / 1000) * 1000 }))
    .filter((d) => d.at < end)
    .sort((a, b) => a.at - b.at)
    .map((d) => {
      const n = (perSubject.get(d.subject) ?? 0) + 1;
      perSubject.set(d.subject, n);
      return { id: `${d.subject}-${n}`, type: d.type, occurredAt: iso(d.at), source: DEMO_SOURCE, data: d.data } as DemoEvent;
    });
}

/**
 * An opportunity's course from creation: stage by stage with next steps, towards a win, a loss,
 * or silence. Returns when it closed (Infinity while open).
 */
function opportunityCourse(
  rnd: SeededRandom,
  add: Add,
  deal: { readonly opportunityId: string; readonly ae: string; readonly segment: Segment; readonly createdAt: number; readonly speed: number; readonly amount: number },
): number {
  const { opportunityId, ae, segment, createdAt, speed } = deal;
  let amount = deal.amount;
  const profile = AES[ae];
  const pWin = profile.winRate * { smb: 1.1, mid: 1, ent: 0.85 }[segment] * (speed > 1 ? 1.15 : speed < 1 ? 0.8 : 1);
  const goesDark = rnd.chance(profile.goesDark) ? rnd.int(0, 2) : undefined;
  const won = goesDark === undefined && rnd.chance(pWin / (1 - profile.goesDark));
  const lostAt = won || goesDark !== undefined ? undefined : rnd.choose([[0, 25], [1, 25], [2, 30], [3, 20]]);
  let t = createdAt;
  let closedAt = Infinity;
  for (let s = 0; s < OPPORTUNITY_STAGES.length; s++) {
    if (s > 0) add(t, opportunityId, 'OpportunityStageChanged', { opportunityId, stage: OPPORTUNITY_STAGES[s] });
    const stageEnd = t + STAGE_DAYS[s] * SEGMENT_PACE[segment] * rnd.between(0.6, 1.5) * DAY;
    // Next steps: a diligent AE sets a fresh one as each falls due; a deal about to go dark
    // gets one that passes, or none at all.
    for (let setAt = t + rnd.between(0, 1) * DAY; setAt < (s === goesDark ? t + DAY : stageEnd); ) {
      if (!rnd.chance(profile.nextSteps * (s === goesDark ? 0.5 : 1))) break;
      const dueAt = setAt + rnd.between(2, 10) * DAY;
      add(setAt, opportunityId, 'OpportunityNextStepSet', { opportunityId, nextStep: NEXT_STEPS[s], dueAt: iso(dueAt) });
      setAt = dueAt - rnd.between(0, 2) * DAY;
    }
    if (s === 2 && rnd.chance(0.35)) {
      amount = roundTo(amount * rnd.between(0.8, 1.15), 500);
      add(t + rnd.between(1, 4) * DAY, opportunityId, 'OpportunityAmountChanged', { opportunityId, amount });
    }
    if (s === goesDark) {
      // Gone dark: no progress, the next step (if any) passes; some are acknowledged, most die.
      if (ae !== 'ae-hugo' && rnd.chance(0.3)) {
        add(t + 25 * DAY, opportunityId, 'OpportunityStallAcknowledged', { opportunityId, reason: 'budget freeze until next quarter', resumeBy: iso(t + rnd.between(45, 90) * DAY) });
      }
      closedAt = t + rnd.between(90, 200) * DAY;
      add(closedAt, opportunityId, 'OpportunityLost', { opportunityId, reason: 'no_decision' });
      break;
    }
    if (s === lostAt) {
      closedAt = stageEnd;
      const reason = rnd.weighted<LostReason>(s < 2 ? { no_budget: 25, timing: 25, competitor: 20, no_decision: 20, other: 10 } : { price: 35, competitor: 35, no_decision: 15, timing: 10, other: 5 });
      add(closedAt, opportunityId, 'OpportunityLost', { opportunityId, reason });
      if (rnd.chance(0.05)) {
        const reopened = closedAt + rnd.between(20, 60) * DAY;
        add(reopened, opportunityId, 'OpportunityReopened', { opportunityId });
        closedAt = Infinity;
        if (rnd.chance(0.5)) {
          closedAt = reopened + rnd.between(15, 40) * DAY;
          add(closedAt, opportunityId, 'OpportunityWon', { opportunityId, amount });
        }
      }
      break;
    }
    t = stageEnd;
  }
  if (won) {
    closedAt = t;
    add(closedAt, opportunityId, 'OpportunityWon', { opportunityId, amount });
  }
  return closedAt;
}

/** What a generated business holds, for the seed command's summary and the tests. */
export interface DemoSummary {
  readonly events: number;
  readonly campaigns: number;
  readonly leads: number;
  readonly mqls: number;
  readonly sqls: number;
  readonly opportunities: number;
  readonly won: number;
  readonly lost: number;
}

export function summarizeDemo(events: readonly DemoEvent[]): DemoSummary {
  const count = (type: FunnelEventType, stage?: string) =>
    events.filter((e) => e.type === type && (stage === undefined || (e.data as { stage?: string }).stage === stage)).length;
  return {
    events: events.length,
    campaigns: count('CampaignLaunched'),
    leads: count('LeadCaptured'),
    mqls: count('LeadStageChanged', 'MQL'),
    sqls: count('LeadStageChanged', 'SQL'),
    opportunities: count('OpportunityCreated'),
    won: count('OpportunityWon'),
    lost: count('OpportunityLost'),
  };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function clamp(x: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, x));
}

function roundTo(x: number, step: number): number {
  return Math.max(step, Math.round(x / step) * step);
}

/** The first instant of the calendar month (UTC) after the one holding `t`. */
function nextMonth(t: number): number {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

function monthLength(t: number): number {
  const d = new Date(t);
  return nextMonth(t) - Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** [start, end) cut at calendar-month boundaries (UTC). */
function calendarMonths(start: number, end: number): [number, number][] {
  const out: [number, number][] = [];
  for (let from = start; from < end; from = nextMonth(from)) out.push([from, Math.min(nextMonth(from), end)]);
  return out;
}
