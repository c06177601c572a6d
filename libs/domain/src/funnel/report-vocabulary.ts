/**
 * The names reports are asked for in (DESIGN §5 enums) and the report defaults that are not part
 * of a funnel definition: shared by the GraphQL API, the SQL builders and the reference metrics.
 */

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

export const GRAINS = ['DAY', 'WEEK', 'MONTH'] as const;
export type Grain = (typeof GRAINS)[number];

/** Pipeline velocity's trailing window for win rate, deal size and cycle length. */
export const DEFAULT_TRAILING_DAYS = 365;

/** Score calibration's band lower bounds. */
export const DEFAULT_SCORE_BANDS: readonly number[] = [0, 20, 40, 60, 80];

/** Bands must be non-empty and strictly ascending. */
export function checkScoreBands(bands: readonly number[]): void {
  if (bands.length === 0 || bands.some((b, i) => i > 0 && b <= bands[i - 1])) {
    throw new RangeError(`bands must be non-empty and strictly ascending: [${bands.join(', ')}]`);
  }
}

/** The weekly review sample's strata, in the order they are allocated and listed. */
export const REVIEW_STRATA = ['ACCEPTED', 'REJECTED', 'SLA_BREACHED', 'STALLED'] as const;
export type ReviewStratum = (typeof REVIEW_STRATA)[number];
export const DEFAULT_REVIEW_SIZE = 20;
export const MAX_REVIEW_SIZE = 500;
/** DESIGN gives no default seed; 0 keeps "no seed" one fixed, documented sample per week. */
export const DEFAULT_REVIEW_SEED = 0;

/** The lead lists routing coverage pages through: no assignment by asOf, or the latest one to a fallback queue. */
export const ROUTING_LEAD_LISTS = ['UNASSIGNED', 'IN_FALLBACK_QUEUE'] as const;
export type RoutingLeadList = (typeof ROUTING_LEAD_LISTS)[number];
