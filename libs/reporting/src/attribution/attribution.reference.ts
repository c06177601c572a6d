import type { FunnelEvent } from '@funnel/contracts';
import {
  DAY_MS,
  NONE_KEY,
  TOUCH_CHANNEL_RULE,
  buildFunnelModel,
  compareStamps,
  createdOf,
  days,
  firstOf,
  firstWonOf,
  inPeriod,
  ms,
  stageReach,
  toInstant,
  wonAmount,
  type AttributionDimension,
  type AttributionModel,
  type FunnelModel,
  type Milestone,
  type Touch,
} from '@funnel/domain';
import {
  DEFAULT_HALF_LIFE_DAYS,
  DEFAULT_LOOKBACK_DAYS,
  POSITION_BASED_WEIGHTS,
  SHAPED_WEIGHTS,
  milestoneWeights,
  type MilestoneTouch,
  type ShapedWeights,
} from './attribution.constants';
import type { AttributionReport } from './attribution.rows';

/**
 * The test oracle for DESIGN §4 "Attribution": a plain, unoptimised reading of the contract
 * that attribution.sql.ts is property-tested against. Weights come from attribution.constants.ts.
 */

export interface AttributionOptions {
  readonly from: string;
  readonly to: string;
  readonly model: AttributionModel;
  readonly milestone: Milestone;
  readonly by?: AttributionDimension;
  readonly lookbackDays?: number;
  readonly halfLifeDays?: number;
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
  const holder: Record<MilestoneTouch, number> = {
    FT: 0,
    LC: lastAtOrBefore(milestones.leadCreatedAt),
    OC: lastAtOrBefore(milestones.opportunityCreatedAt),
    CW: lastAtOrBefore(milestones.wonAt),
  };
  // Shares for the milestone touches (a touch holding several adds them up), the rest split
  // equally among the "others"; with no others their share is simply not given out.
  const shaped = (weights: ShapedWeights) => {
    const held = milestoneWeights(weights).map(([m, share]) => {
      if (holder[m] >= 0) raw[holder[m]] += share;
      return holder[m];
    });
    const others = raw.map((_, i) => i).filter((i) => !held.includes(i));
    for (const i of others) raw[i] += weights.others / others.length;
  };

  switch (model) {
    case 'FIRST_TOUCH':
      raw[holder.FT] = 1;
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
        raw.fill(POSITION_BASED_WEIGHTS.middle / (n - 2));
        raw[0] = POSITION_BASED_WEIGHTS.first;
        raw[last] = POSITION_BASED_WEIGHTS.last;
      }
      break;
    case 'U_SHAPED':
    case 'W_SHAPED':
    case 'FULL_PATH':
      shaped(SHAPED_WEIGHTS[model]);
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
  const campaignChannel = t.campaignId !== undefined ? model.campaignChannels.get(t.campaignId) : undefined;
  return firstOf(TOUCH_CHANNEL_RULE, { touch: t, touchCampaign: { channel: campaignChannel } }) ?? NONE_KEY;
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
