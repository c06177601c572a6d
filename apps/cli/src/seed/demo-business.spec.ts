import { validateEvent } from '@funnel/contracts';
import { DEFAULT_DEFINITION_FIELDS } from '@funnel/domain';
import { FALLBACK_QUEUE, generateDemoBusiness, summarizeDemo, type DemoEvent } from './demo-business';

const asOf = new Date('2026-11-15T12:00:00.000Z');
const DAY = 86_400_000;

/** Field access for assertions across event types. */
const d = (e: DemoEvent) => e.data as Record<string, any>;
const ofType = (events: readonly DemoEvent[], type: string) => events.filter((e) => e.type === type);

describe('generateDemoBusiness', () => {
  const events = generateDemoBusiness({ leads: 1000, seed: 7, asOf });

  it('produces only events that ingest accepts, with unique ids, before asOf, in business-time order', () => {
    const invalid = events
      .map((e) => ({ e, r: validateEvent(JSON.parse(JSON.stringify(e)), { reportingCurrency: 'USD' }) }))
      .filter(({ r }) => !r.ok)
      .slice(0, 3);
    expect(invalid).toEqual([]);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    const times = events.map((e) => Date.parse(e.occurredAt));
    expect(Math.max(...times)).toBeLessThan(asOf.getTime());
    // About twelve months back (touches before the first capture stay inside the story too).
    expect(Math.min(...times)).toBeGreaterThanOrEqual(asOf.getTime() - 366 * DAY);
    expect(Math.min(...times)).toBeLessThan(asOf.getTime() - 360 * DAY);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('is deterministic for a seed and asOf, and another seed tells another story', () => {
    // Compared as text: jest's deep equality is slow on ten thousand events.
    expect(JSON.stringify(generateDemoBusiness({ leads: 1000, seed: 7, asOf }))).toBe(JSON.stringify(events));
    expect(JSON.stringify(generateDemoBusiness({ leads: 1000, seed: 8, asOf }))).not.toBe(JSON.stringify(events));
    const prefixed = generateDemoBusiness({ leads: 300, seed: 3, asOf, prefix: 'x' });
    expect(prefixed.every((e) => e.id.startsWith('x-'))).toBe(true);
  });

  it('has a plausible funnel: every lead captured, fewer at each stage, wins and losses with several reasons', () => {
    const s = summarizeDemo(events);
    expect(s.leads).toBe(1000);
    expect(s.campaigns).toBe(13);
    expect(s.mqls / s.leads).toBeGreaterThan(0.3);
    expect(s.mqls / s.leads).toBeLessThan(0.65);
    expect(s.sqls).toBeLessThan(s.mqls);
    expect(s.opportunities).toBeLessThanOrEqual(s.sqls);
    expect(s.opportunities / s.leads).toBeGreaterThan(0.04);
    expect(s.won).toBeGreaterThan(0.15 * s.opportunities);
    expect(s.won).toBeLessThan(0.5 * s.opportunities);
    expect(s.lost).toBeGreaterThan(0.2 * s.opportunities);
    const reasons = new Set(ofType(events, 'OpportunityLost').map((e) => d(e).reason));
    expect(reasons.size).toBeGreaterThanOrEqual(4);
    const skippedMql = ofType(events, 'LeadStageChanged').filter((e) => d(e).stage === 'SAL').length -
      ofType(events, 'LeadStageChanged').filter((e) => d(e).stage === 'SAL' && mqlOf(events).has(d(e).leadId)).length;
    expect(skippedMql).toBeGreaterThan(0); // outbound leads are accepted without being MQLs
  });

  it('spreads campaigns over five channels with launches and monthly costs', () => {
    const channels = new Set(ofType(events, 'CampaignLaunched').map((e) => d(e).channel));
    expect([...channels].sort()).toEqual(['content', 'events', 'outbound', 'paid_search', 'webinar']);
    const costs = ofType(events, 'CampaignCostRecorded');
    const monthsOfBrandSearch = costs.filter((e) => d(e).campaignId === 'demo-search-brand').length;
    expect(monthsOfBrandSearch).toBeGreaterThanOrEqual(12);
    for (const channel of channels) {
      expect(ofType(events, 'LeadCaptured').some((e) => d(e).channel === channel)).toBe(true);
    }
    const attributes = ofType(events, 'LeadCaptured').map((e) => d(e).attributes);
    expect(new Set(attributes.map((a) => a.segment))).toEqual(new Set(['smb', 'mid', 'ent']));
    expect(new Set(attributes.map((a) => a.region))).toEqual(new Set(['na', 'emea', 'apac']));
    expect(attributes.every((a) => typeof a.product === 'string')).toBe(true);
  });

  it('has SDRs of different speed: some meet the speed-to-lead SLA nearly always, some breach often', () => {
    const rate = slaComplianceByOwner(events);
    expect(rate.get('sdr-ana')).toBeGreaterThan(0.9);
    expect(rate.get('sdr-chloe')).toBeLessThan(0.6);
    expect(Math.max(...rate.values()) - Math.min(...rate.values())).toBeGreaterThan(0.3);
    // Some MQLs wait in the fallback queue; some of those are triaged to an SDR later.
    const assigned = ofType(events, 'LeadAssigned');
    const queued = assigned.filter((e) => d(e).queue === FALLBACK_QUEUE).map((e) => d(e).leadId);
    expect(queued.length).toBeGreaterThan(10);
    expect(assigned.some((e) => queued.includes(d(e).leadId) && d(e).rule === 'manual triage')).toBe(true);
  });

  it('leaves some open deals stalled at asOf: no next step, an overdue next step, a stale stage', () => {
    const open = openOpportunities(events);
    const reasons = open.flatMap((o) => o.reasons);
    expect(reasons).toContain('NO_NEXT_STEP');
    expect(reasons).toContain('NEXT_STEP_OVERDUE');
    expect(reasons).toContain('STALLED_IN_STAGE');
    expect(open.filter((o) => o.reasons.length === 0).length).toBeGreaterThan(0);
  });
});

function mqlOf(events: readonly DemoEvent[]): Set<string> {
  return new Set(ofType(events, 'LeadStageChanged').filter((e) => d(e).stage === 'MQL').map((e) => d(e).leadId));
}

/** Met / (met + breached) per latest owner, clocks from MQL to the first activity (DESIGN §4 SLA, asOf far away). */
function slaComplianceByOwner(events: readonly DemoEvent[]): Map<string, number> {
  const mqlAt = new Map<string, number>();
  const firstActivity = new Map<string, number>();
  const owner = new Map<string, string>();
  for (const e of events) {
    const t = Date.parse(e.occurredAt);
    if (e.type === 'LeadStageChanged' && d(e).stage === 'MQL' && !mqlAt.has(d(e).leadId)) mqlAt.set(d(e).leadId, t);
    if (e.type === 'LeadActivityLogged' && !firstActivity.has(d(e).leadId)) firstActivity.set(d(e).leadId, t);
    if (e.type === 'LeadAssigned') owner.set(d(e).leadId, d(e).ownerId);
  }
  const tally = new Map<string, { met: number; all: number }>();
  for (const [lead, start] of mqlAt) {
    const o = owner.get(lead);
    if (!o) continue;
    const stop = firstActivity.get(lead);
    const met = stop !== undefined && stop - start <= DEFAULT_DEFINITION_FIELDS.speedToLeadMinutes * 60_000;
    const t = tally.get(o) ?? { met: 0, all: 0 };
    tally.set(o, { met: t.met + (met ? 1 : 0), all: t.all + 1 });
  }
  return new Map([...tally].filter(([, t]) => t.all >= 20).map(([o, t]) => [o, t.met / t.all]));
}

/** Open opportunities at the end of the story with DESIGN §4's stall reasons (default stall days). */
function openOpportunities(events: readonly DemoEvent[]) {
  const end = Math.max(...events.map((e) => Date.parse(e.occurredAt)));
  const opps = new Map<string, { open: boolean; stageSince: number; due?: number; acknowledgedUntil?: number }>();
  for (const e of events) {
    const t = Date.parse(e.occurredAt);
    const id = d(e).opportunityId as string;
    const o = opps.get(id);
    if (e.type === 'OpportunityCreated') opps.set(id, { open: true, stageSince: t });
    else if (!o) continue;
    else if (e.type === 'OpportunityStageChanged') o.stageSince = t;
    else if (e.type === 'OpportunityNextStepSet') o.due = Date.parse(d(e).dueAt);
    else if (e.type === 'OpportunityStallAcknowledged') o.acknowledgedUntil = Date.parse(d(e).resumeBy);
    else if (e.type === 'OpportunityWon' || e.type === 'OpportunityLost') o.open = false;
    else if (e.type === 'OpportunityReopened') o.open = true;
  }
  return [...opps.values()]
    .filter((o) => o.open)
    .map((o) => ({
      reasons: [
        ...((end - o.stageSince) / DAY > DEFAULT_DEFINITION_FIELDS.stallDaysDefault && !((o.acknowledgedUntil ?? 0) > end) ? ['STALLED_IN_STAGE'] : []),
        ...(o.due === undefined ? ['NO_NEXT_STEP'] : o.due < end ? ['NEXT_STEP_OVERDUE'] : []),
      ],
    }));
}
