import { seededRandom } from '@funnel/testing';

/**
 * A year of a made-up B2B software business, for the dashboard test and its screenshot: six
 * campaigns with monthly spend and different lead quality, four SDRs with different follow-up
 * speed, two account executives, multi-touch journeys, skipped stages, rejections, wins, losses
 * and deals left open long enough to stall. Deterministic (seeded), plain event objects.
 */
export const DEMO_FROM = '2025-01-01';
export const DEMO_TO = '2026-01-01';

interface CampaignSpec {
  readonly id: string;
  readonly name: string;
  readonly channel: string;
  readonly monthlyCost: number;
  /** Leads captured per month. */
  readonly leads: number;
  /** Probability that a lead becomes an MQL, an MQL an SQL, an opportunity a win. */
  readonly mql: number;
  readonly sql: number;
  readonly win: number;
  readonly dealSize: number;
}

const CAMPAIGNS: readonly CampaignSpec[] = [
  { id: 'C-search', name: 'Search ads', channel: 'paid_search', monthlyCost: 19_000, leads: 34, mql: 0.6, sql: 0.45, win: 0.3, dealSize: 14_000 },
  { id: 'C-linkedin', name: 'LinkedIn ABM', channel: 'social', monthlyCost: 26_000, leads: 18, mql: 0.75, sql: 0.6, win: 0.38, dealSize: 42_000 },
  { id: 'C-webinar', name: 'Product webinars', channel: 'webinar', monthlyCost: 8000, leads: 22, mql: 0.7, sql: 0.5, win: 0.33, dealSize: 21_000 },
  { id: 'C-newsletter', name: 'Newsletter', channel: 'email', monthlyCost: 1500, leads: 26, mql: 0.35, sql: 0.3, win: 0.25, dealSize: 9_000 },
  { id: 'C-partners', name: 'Partner referrals', channel: 'referral', monthlyCost: 7000, leads: 9, mql: 0.85, sql: 0.7, win: 0.5, dealSize: 35_000 },
  { id: 'C-content', name: 'SEO content', channel: 'organic_search', monthlyCost: 9000, leads: 30, mql: 0.45, sql: 0.35, win: 0.28, dealSize: 12_000 },
];
/** SDRs and their usual hours to first activity (the SLA is 24 h). */
const SDRS = [['rep-ana', 3], ['rep-ben', 30], ['rep-chloe', 9], ['rep-dev', 16]] as const;
const AES = ['ae-maria', 'ae-tom'];
const SEGMENTS = ['smb', 'smb', 'mid', 'mid', 'ent'];
const REGIONS = ['emea', 'na', 'na', 'apac'];
const PRODUCTS = ['analytics', 'analytics', 'platform'];

export function dashboardDemoEvents(seed = 7): object[] {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const hour = 3_600_000;
  const t0 = Date.parse(`${DEMO_FROM}T00:00:00Z`);
  const iso = (ms: number) => new Date(Math.round(ms / 60_000) * 60_000).toISOString();
  const events: object[] = [];
  let n = 0;
  const add = (type: string, at: number, data: Record<string, unknown>) => events.push({ id: `demo-${++n}`, type, occurredAt: iso(at), data });

  for (const c of CAMPAIGNS) {
    add('CampaignLaunched', t0 - 14 * 24 * hour, { campaignId: c.id, name: c.name, channel: c.channel, budget: c.monthlyCost * 12 });
  }
  let lead = 0;
  for (let month = 0; month < 12; month++) {
    const monthStart = Date.UTC(2025, month, 1);
    const monthEnd = Date.UTC(2025, month + 1, 1);
    // Spend and volume grow through the year; the summer is slower.
    const season = 0.8 + month * 0.04 - (month === 6 || month === 7 ? 0.2 : 0);
    for (const c of CAMPAIGNS) {
      add('CampaignCostRecorded', monthEnd - hour, {
        campaignId: c.id, amount: Math.round(c.monthlyCost * season * (0.9 + rnd() * 0.2)), periodStart: iso(monthStart), periodEnd: iso(monthEnd),
      });
      const count = Math.round(c.leads * season * (0.85 + rnd() * 0.3));
      for (let i = 0; i < count; i++) {
        const leadId = `L-${String(++lead).padStart(5, '0')}`;
        let t = monthStart + rnd() * (monthEnd - monthStart);
        // Journeys: an earlier touch from another campaign, the capture touch, sometimes a later one.
        if (rnd() < 0.45) {
          const other = pick(CAMPAIGNS);
          add('LeadTouched', t - rnd() * 20 * 24 * hour, { leadId, campaignId: other.id, channel: other.channel, touchType: pick(['ad_click', 'web_visit', 'email_click']) });
        }
        add('LeadCaptured', t, {
          leadId, campaignId: c.id, channel: c.channel,
          attributes: { segment: pick(SEGMENTS), region: pick(REGIONS), product: pick(PRODUCTS) },
        });
        add('LeadTouched', t, { leadId, campaignId: c.id, channel: c.channel, touchType: 'form_fill' });
        add('LeadScored', t + hour, { leadId, score: Math.min(100, Math.round(c.mql * 70 + rnd() * 40)) });
        if (rnd() > c.mql) continue;

        t += (2 + rnd() * 72) * hour;
        add('LeadStageChanged', t, { leadId, stage: 'MQL' });
        const [owner, speed] = pick(SDRS);
        add('LeadAssigned', t + 0.2 * hour, { leadId, ownerId: owner });
        if (rnd() < 0.93) add('LeadActivityLogged', t + speed * (0.3 + rnd() * 1.4) * hour, { leadId, ownerId: owner, activityType: pick(['call', 'email', 'call', 'meeting']) });
        if (rnd() < 0.12) {
          add('LeadDispositioned', t + 48 * hour, { leadId, disposition: pick(['no_fit', 'no_timing', 'no_contact', 'duplicate']) });
          continue;
        }
        if (rnd() < 0.1) continue; // never accepted by sales
        t += (4 + rnd() * 60) * hour;
        const qualifies = rnd() < c.sql;
        // A fast-tracked lead goes from MQL straight to SQL: it reached SAL without entering it.
        if (!qualifies || rnd() > 0.2) add('LeadStageChanged', t, { leadId, stage: 'SAL' });
        add('LeadQualificationUpdated', t + hour, { leadId, budget: rnd() < 0.75, authority: rnd() < 0.65, need: true, timelineDays: Math.floor(rnd() * 150) });
        if (!qualifies) continue;
        t += (24 + rnd() * 160) * hour;
        add('LeadStageChanged', t, { leadId, stage: 'SQL' });
        if (rnd() < 0.25) continue; // qualified, no opportunity yet

        const opportunityId = `O-${leadId.slice(2)}`;
        const amount = Math.round((c.dealSize * (0.5 + rnd())) / 100) * 100;
        t += (12 + rnd() * 96) * hour;
        add('LeadConverted', t, { leadId, opportunityId });
        add('OpportunityCreated', t, { opportunityId, leadIds: [leadId], amount, stage: 'discovery', ownerId: pick(AES) });
        // A later touch (a case study, a webinar) before the deal closes.
        if (rnd() < 0.5) {
          const late = pick(CAMPAIGNS);
          add('LeadTouched', t + (3 + rnd() * 10) * 24 * hour, { leadId, campaignId: late.id, channel: late.channel, touchType: 'webinar' });
        }
        const proposalAt = t + (5 + rnd() * 20) * 24 * hour;
        add('OpportunityStageChanged', proposalAt, { opportunityId, stage: 'proposal' });
        if (rnd() < 0.6) add('OpportunityNextStepSet', proposalAt + 24 * hour, { opportunityId, nextStep: pick(['send proposal', 'security review', 'pricing call']), dueAt: iso(proposalAt + (4 + rnd() * 10) * 24 * hour) });
        const closeAt = proposalAt + (10 + rnd() * 50) * 24 * hour;
        // Deals whose close falls after the year stay open: the late ones stall.
        if (closeAt >= Date.UTC(2026, 0, 1)) continue;
        const outcome = rnd();
        if (outcome < c.win / 0.8) add('OpportunityWon', closeAt, { opportunityId });
        else if (outcome < 0.96) add('OpportunityLost', closeAt, { opportunityId, reason: pick(['price', 'competitor', 'no_decision', 'timing']) });
        // else: still open, gone quiet
      }
    }
  }
  return events;
}
