import type { FunnelEvent } from '@funnel/contracts';
import { compareStamps } from '../state/stamp';
import {
  buildFunnelModel,
  createdOf,
  DAY_MS,
  days,
  firstWonOf,
  inPeriod,
  ms,
  NONE_KEY,
  stageReach,
  type FunnelModel,
  type Touch,
} from './funnel-model';
import { toInstant, wonAmount } from './opportunity-status';

/** Reference implementation of DESIGN §4 "Attribution". */

export const ATTRIBUTION_MODELS = [
  'FIRST_TOUCH',
  'LAST_TOUCH',
  'LINEAR',
  'POSITION_BASED',
  'U_SHAPED',
  'W_SHAPED',
  'FULL_PATH',
  'TIME_DECAY',
] as const;
export type AttributionModel = (typeof ATTRIBUTION_MODELS)[number];
export const MILESTONES = ['LEAD_CREATED', 'OPPORTUNITY_CREATED', 'WON'] as const;
export type Milestone = (typeof MILESTONES)[number];
export type AttributionDimension = 'CAMPAIGN' | 'CHANNEL';

/** The funnel definition's defaults (DESIGN §3 `attribution`). */
export const DEFAULT_LOOKBACK_DAYS = 365;
export const DEFAULT_HALF_LIFE_DAYS = 7;

export interface AttributionOptions {
  readonly from: string;
  readonly to: string;
  readonly model: AttributionModel;
  readonly milestone: Milestone;
  readonly by?: AttributionDimension;
  readonly lookbackDays?: number;
  readonly halfLifeDays?: number;
}

export interface AttributionRow {
  readonly key: string;
  readonly credit: number;
  readonly value: number;
}

export interface AttributionReport {
  readonly conversions: number;
  readonly totalValue: number;
  readonly rows: AttributionRow[];
}

/**
 * The times that place a journey's milestone touches. Each cut-off marks the last touch at or
 * before it as holding that milestone; an absent cut-off is a milestone that does not apply.
 */
export interface JourneyMilestones {
  /** The conversion's milestone time: the journey ends here and TIME_DECAY counts back from it. */
  readonly at: string;
  /** LC: the earliest CAPTURED reach time among the lead(s) linked to the conversion. */
  readonly leadCreatedAt?: string;
  /** OC: the opportunity's creation (OPPORTUNITY_CREATED and WON only). */
  readonly opportunityCreatedAt?: string;
  /** CW: the win (WON only). */
  readonly wonAt?: string;
}

/**
 * Credit of each touch of one journey, summing to 1 (empty for no touches). `touches` must be the
 * journey: already cut to the lookback window and sorted by (occurredAt, event id).
 */
export function journeyWeights(
  model: AttributionModel,
  touches: readonly { readonly at: string }[],
  milestones: JourneyMilestones,
  halfLifeDays: number,
): number[] {
  const n = touches.length;
  if (n === 0) return [];
  const last = n - 1;
  const raw = new Array<number>(n).fill(0);
  const lastAtOrBefore = (cutoff: string | undefined) => {
    if (cutoff !== undefined) for (let i = last; i >= 0; i--) if (touches[i].at <= cutoff) return i;
    return -1; // the milestone does not apply, or no touch holds it: it carries no weight
  };
  // Shares for the milestone touches (a touch holding several adds them up), the rest split
  // equally among the "others"; with no others their share is simply not given out.
  const shaped = (share: number, held: number[], othersShare: number) => {
    for (const i of held) if (i >= 0) raw[i] += share;
    const others = raw.map((_, i) => i).filter((i) => !held.includes(i));
    for (const i of others) raw[i] += othersShare / others.length;
  };
  const ft = 0;
  const lc = lastAtOrBefore(milestones.leadCreatedAt);
  const oc = lastAtOrBefore(milestones.opportunityCreatedAt);
  const cw = lastAtOrBefore(milestones.wonAt);

  switch (model) {
    case 'FIRST_TOUCH':
      raw[ft] = 1;
      break;
    case 'LAST_TOUCH':
      raw[last] = 1;
      break;
    case 'LINEAR':
      raw.fill(1 / n);
      break;
    case 'POSITION_BASED':
      if (n <= 2) raw.fill(1 / n);
      else {
        raw.fill(0.2 / (n - 2));
        raw[0] = raw[last] = 0.4;
      }
      break;
    case 'U_SHAPED':
      shaped(0.4, [ft, lc], 0.2);
      break;
    case 'W_SHAPED':
      shaped(0.3, [ft, lc, oc], 0.1);
      break;
    case 'FULL_PATH':
      shaped(0.225, [ft, lc, oc, cw], 0.1);
      break;
    case 'TIME_DECAY': {
      if (!(halfLifeDays > 0)) throw new RangeError(`halfLifeDays must be > 0 (got ${halfLifeDays})`);
      // 2^(−(milestone − t)/halfLife), measured from the latest touch instead of the milestone:
      // the common factor cancels in normalisation, and the latest touch's weight of 1 keeps the
      // sum from underflowing to 0 when the half-life is tiny next to the lookback.
      touches.forEach((t, i) => (raw[i] = 2 ** (-days(t.at, touches[last].at) / halfLifeDays)));
      break;
    }
    default: {
      const unreachable: never = model;
      throw new Error(`Unknown attribution model ${unreachable as string}`);
    }
  }
  const sum = raw.reduce((a, b) => a + b, 0);
  return raw.map((w) => w / sum);
}

/** One conversion before the period and lookback cuts. */
interface Conversion {
  readonly milestones: JourneyMilestones;
  readonly amount: number;
  /** Every touch of the lead(s) behind the conversion, any time. */
  readonly touches: readonly Touch[];
}

function conversionsOf(model: FunnelModel, milestone: Milestone): Conversion[] {
  const capturedAt = new Map([...model.leads.values()].map((l) => [l.leadId, stageReach(model, l).reachedAt.CAPTURED as string]));
  if (milestone === 'LEAD_CREATED') {
    return [...model.leads.values()].map((l) => {
      const at = capturedAt.get(l.leadId) as string;
      return { milestones: { at, leadCreatedAt: at }, amount: 0, touches: l.touches };
    });
  }
  const out: Conversion[] = [];
  for (const o of model.opportunities.values()) {
    const created = createdOf(o);
    if (!created) continue; // an opportunity counts only once it has an OpportunityCreated
    const won = milestone === 'WON' ? firstWonOf(o) : undefined;
    if (milestone === 'WON' && !won) continue;
    // Links are timeless; a linked lead with no events of its own has no touches and no reach.
    const leads = [...o.leadIds].flatMap((id) => model.leads.get(id) ?? []);
    const leadCreatedAt = leads.map((l) => capturedAt.get(l.leadId) as string).sort()[0];
    out.push({
      milestones: {
        at: won?.occurredAt ?? created.occurredAt,
        leadCreatedAt,
        opportunityCreatedAt: created.occurredAt,
        wonAt: won?.occurredAt,
      },
      amount: won ? wonAmount(o, won) : created.data.amount,
      touches: leads.flatMap((l) => l.touches),
    });
  }
  return out;
}

function touchKey(model: FunnelModel, t: Touch, by: AttributionDimension): string {
  if (by === 'CAMPAIGN') return t.campaignId ?? NONE_KEY;
  return t.channel ?? (t.campaignId !== undefined ? model.campaignChannels.get(t.campaignId) : undefined) ?? NONE_KEY;
}

/** The report over an already built model, so callers that need several reports build it once. */
export function attributionReportOf(model: FunnelModel, opts: AttributionOptions): AttributionReport {
  const from = toInstant(opts.from);
  const to = toInstant(opts.to);
  const by = opts.by ?? 'CAMPAIGN';
  const lookbackMs = (opts.lookbackDays ?? DEFAULT_LOOKBACK_DAYS) * DAY_MS;
  const halfLifeDays = opts.halfLifeDays ?? DEFAULT_HALF_LIFE_DAYS;

  const rows = new Map<string, { credit: number; value: number }>();
  const add = (key: string, credit: number, value: number) => {
    const row = rows.get(key) ?? { credit: 0, value: 0 };
    rows.set(key, { credit: row.credit + credit, value: row.value + value });
  };
  let conversions = 0;
  let totalValue = 0;
  for (const c of conversionsOf(model, opts.milestone)) {
    const at = c.milestones.at;
    if (!inPeriod(at, from, to)) continue;
    conversions++;
    totalValue += c.amount;
    const start = ms(at) - lookbackMs;
    const journey = c.touches.filter((t) => t.at <= at && ms(t.at) >= start).sort(compareStamps);
    // Without touches the conversion still counts, so credits always sum to the conversions.
    if (journey.length === 0) add(NONE_KEY, 1, c.amount);
    const weights = journeyWeights(opts.model, journey, c.milestones, halfLifeDays);
    journey.forEach((t, i) => add(touchKey(model, t, by), weights[i], weights[i] * c.amount));
  }
  return {
    conversions,
    totalValue,
    rows: [...rows]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, r]) => ({ key, credit: r.credit, value: r.value })),
  };
}

export function attributionReport(events: readonly FunnelEvent[], opts: AttributionOptions): AttributionReport {
  return attributionReportOf(buildFunnelModel(events), opts);
}
