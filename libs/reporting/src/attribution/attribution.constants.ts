import { VERSION_ONE, type AttributionModel } from '@funnel/domain';

/**
 * DESIGN §4 "Attribution" weights and defaults, read by both the SQL builder (attribution.sql.ts)
 * and the reference (attribution.reference.ts): a weight changes here, and only here.
 */

/** The funnel definition's defaults (DESIGN §3 `attribution`), for callers without a definition. */
export const DEFAULT_LOOKBACK_DAYS = VERSION_ONE.attributionLookbackDays;
export const DEFAULT_HALF_LIFE_DAYS = VERSION_ONE.attributionHalfLifeDays;

/** The milestone touches: first touch, lead creation, opportunity creation, closed won. */
export type MilestoneTouch = 'FT' | 'LC' | 'OC' | 'CW';

export interface ShapedWeights {
  /** Raw weight of each milestone touch the model rewards (a touch holding several adds them). */
  readonly milestones: Partial<Record<MilestoneTouch, number>>;
  /** Raw weight the journey's other touches share equally. */
  readonly others: number;
}

/** The milestone-shaped models' raw weights (normalised per journey afterwards). */
export const SHAPED_WEIGHTS = {
  U_SHAPED: { milestones: { FT: 0.4, LC: 0.4 }, others: 0.2 },
  W_SHAPED: { milestones: { FT: 0.3, LC: 0.3, OC: 0.3 }, others: 0.1 },
  FULL_PATH: { milestones: { FT: 0.225, LC: 0.225, OC: 0.225, CW: 0.225 }, others: 0.1 },
} as const satisfies Partial<Record<AttributionModel, ShapedWeights>>;
export type ShapedModel = keyof typeof SHAPED_WEIGHTS;

/** POSITION_BASED from three touches on: first, last, and what the middle ones share (one or two touches split evenly). */
export const POSITION_BASED_WEIGHTS = { first: 0.4, last: 0.4, middle: 0.2 } as const;

export const milestoneWeights = (w: ShapedWeights) =>
  Object.entries(w.milestones) as [MilestoneTouch, number][];
