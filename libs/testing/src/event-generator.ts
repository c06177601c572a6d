import { CURRENT_SCHEMA_VERSION, type FunnelEvent } from '@funnel/contracts';

/** Small deterministic PRNG (mulberry32) so a failing generated stream can be reproduced by seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GeneratorOptions {
  readonly leads: number;
  readonly seed?: number;
  /** Business-time origin of the stream. */
  readonly start?: string;
  /** Prefix for ids, so two streams in one store do not collide. */
  readonly prefix?: string;
  /**
   * Routing detail for the routing and review reports: queues on assignments (some of them
   * `fallback`), reassignments, assignments before MQL. Off by default, and drawn from a PRNG of
   * its own with ids of their own, so the stream without it is the same as ever.
   */
  readonly routing?: boolean;
}

/**
 * An event as ingest's validator returns it (schemaVersion filled in, absent fields left out),
 * built directly: validating every generated event cost the property suites more than their
 * formulas. event-generator.spec.ts checks that the validator returns each one unchanged.
 */
function normalisedEvent(id: string, type: string, occurredAt: string, data: Record<string, unknown>): FunnelEvent {
  const present = Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined));
  return { id, type, occurredAt, schemaVersion: CURRENT_SCHEMA_VERSION, data: present } as unknown as FunnelEvent;
}

/**
 * A realistic mixed stream: campaigns with costs, leads captured from them, touches, scores,
 * stage changes (some skipped), assignments, activities, dispositions, conversions into
 * opportunities (some shared by two leads), stage and amount changes, wins, losses and reopens.
 * Events are in generation order, not business-time order, like a CRM backfill.
 */
export function generateFunnelEvents(opts: GeneratorOptions): FunnelEvent[] {
  const rnd = seededRandom(opts.seed ?? 1);
  const p = opts.prefix ?? 'g';
  const t0 = Date.parse(opts.start ?? '2026-01-01T00:00:00.000Z');
  const hour = 3_600_000;
  const at = (hours: number) => new Date(t0 + Math.round(hours * hour)).toISOString();
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const events: FunnelEvent[] = [];
  let n = 0;
  const add = (type: string, occurredAt: string, data: Record<string, unknown>) => {
    events.push(normalisedEvent(`${p}-e${++n}`, type, occurredAt, data));
  };

  const channels = ['paid_search', 'social', 'email', 'organic_search', 'referral'];
  const campaigns = channels.map((channel, i) => ({ id: `${p}-c${i}`, channel }));
  for (const c of campaigns) {
    add('CampaignLaunched', at(0), { campaignId: c.id, name: `Campaign ${c.id}`, channel: c.channel, budget: 10_000 });
    add('CampaignCostRecorded', at(24 * 30), {
      campaignId: c.id, amount: Math.round(rnd() * 5000), periodStart: at(0), periodEnd: at(24 * 30),
    });
  }

  const routingRnd = seededRandom((opts.seed ?? 1) * 7919 + 17);
  let routed = 0;
  const queueOf = () => {
    const r = routingRnd();
    return r < 0.25 ? 'fallback' : r < 0.5 ? 'inbound' : r < 0.6 ? 'partners' : undefined;
  };
  /** The routing detail of a lead that became MQL at hour h. */
  const routing = (leadId: string, h: number) => {
    if (!opts.routing) return;
    const extra = (offsetHours: number) => {
      const data = { leadId, ownerId: pick(['rep-a', 'rep-b', 'rep-c', 'rep-d']), queue: queueOf() };
      events.push(normalisedEvent(`${p}-r${++routed}`, 'LeadAssigned', at(h + offsetHours), data));
    };
    if (routingRnd() < 0.15) extra(-routingRnd() * 24); // routed before it was an MQL
    for (let k = Math.floor(routingRnd() * 3); k > 0; k--) extra(routingRnd() * 24 * 20); // reassignments
  };

  let openOpportunity: string | undefined;
  for (let i = 0; i < opts.leads; i++) {
    const leadId = `${p}-L${i}`;
    const c = pick(campaigns);
    let h = rnd() * 24 * 60;
    if (rnd() < 0.9) {
      add('LeadCaptured', at(h), {
        leadId, campaignId: rnd() < 0.8 ? c.id : undefined, channel: rnd() < 0.7 ? c.channel : undefined,
        attributes: { segment: pick(['smb', 'mid', 'ent']), region: pick(['emea', 'na', 'apac']), product: pick(['core', 'plus']) },
      });
    }
    for (let k = Math.floor(rnd() * 3); k > 0; k--) {
      const t = pick(campaigns);
      add('LeadTouched', at(h + (rnd() - 0.3) * 48), {
        leadId, campaignId: rnd() < 0.8 ? t.id : undefined, channel: t.channel,
        touchType: pick(['ad_click', 'email_click', 'web_visit', 'webinar']),
      });
    }
    add('LeadScored', at(h + 1), { leadId, score: Math.floor(rnd() * 101) });
    if (rnd() < 0.3) continue;
    h += rnd() * 48;
    add('LeadStageChanged', at(h), { leadId, stage: 'MQL' });
    // With routing detail some MQLs are never assigned.
    if (!opts.routing || routingRnd() >= 0.15) {
      add('LeadAssigned', at(h + 0.1), { leadId, ownerId: pick(['rep-a', 'rep-b', 'rep-c']), ...(opts.routing ? { queue: queueOf() } : {}) });
      routing(leadId, h);
    }
    if (rnd() < 0.8) add('LeadActivityLogged', at(h + rnd() * 48), { leadId, activityType: pick(['call', 'email', 'meeting']) });
    if (rnd() < 0.25) {
      add('LeadDispositioned', at(h + 24), { leadId, disposition: pick(['no_fit', 'no_timing', 'no_contact']) });
      if (rnd() < 0.3) add('LeadRecycled', at(h + 24 * 10), { leadId, reason: 'new budget' });
      continue;
    }
    h += rnd() * 72;
    if (rnd() < 0.8) add('LeadStageChanged', at(h), { leadId, stage: 'SAL' });
    add('LeadQualificationUpdated', at(h + 1), { leadId, budget: rnd() < 0.7, authority: rnd() < 0.6, need: true, timelineDays: Math.floor(rnd() * 180) });
    if (rnd() < 0.4) continue;
    h += rnd() * 96;
    add('LeadStageChanged', at(h), { leadId, stage: 'SQL' });
    if (rnd() < 0.3) continue;
    // Some opportunities carry two leads (a buying committee), linked both ways.
    const shared = openOpportunity !== undefined && rnd() < 0.2;
    const opportunityId = shared ? (openOpportunity as string) : `${p}-O${i}`;
    add('LeadConverted', at(h + 2), { leadId, opportunityId });
    if (shared) continue;
    openOpportunity = opportunityId;
    const amount = Math.round(1000 + rnd() * 50_000);
    add('OpportunityCreated', at(h + 2), { opportunityId, leadIds: [leadId], amount, stage: 'discovery', ownerId: pick(['ae-1', 'ae-2']) });
    add('OpportunityStageChanged', at(h + 24 * 5), { opportunityId, stage: 'proposal' });
    if (rnd() < 0.5) add('OpportunityNextStepSet', at(h + 24 * 6), { opportunityId, nextStep: 'send proposal', dueAt: at(h + 24 * 9) });
    if (rnd() < 0.3) add('OpportunityAmountChanged', at(h + 24 * 7), { opportunityId, amount: amount * 1.1 });
    const outcome = rnd();
    if (outcome < 0.4) add('OpportunityWon', at(h + 24 * 20), { opportunityId, ...(rnd() < 0.5 ? { amount } : {}) });
    else if (outcome < 0.7) add('OpportunityLost', at(h + 24 * 20), { opportunityId, reason: pick(['price', 'competitor', 'timing']) });
    if (outcome < 0.7 && rnd() < 0.15) {
      add('OpportunityReopened', at(h + 24 * 25), { opportunityId });
      if (rnd() < 0.5) add('OpportunityWon', at(h + 24 * 40), { opportunityId });
    }
  }
  return events;
}

/** Fisher-Yates shuffle with a seeded PRNG (for order-independence tests). */
export function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const rnd = seededRandom(seed);
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Wraps events as log records at consecutive positions. */
export function asLogRecords(events: readonly FunnelEvent[], firstPosition = 1) {
  return events.map((event, i) => ({ position: String(firstPosition + i), event }));
}
