import { DISPOSITIONS, type DefinitionFieldsData, type DefinitionStallDays, type Team } from '@funnel/contracts';

/**
 * The funnel definition both teams sign (DESIGN §3): entry criteria, speed to lead, stall days,
 * attribution defaults and the disposition vocabulary. Reports run against one published version.
 * Its fields are exactly what the definition events carry.
 */
export type FunnelDefinitionFields = DefinitionFieldsData & { readonly fallbackQueues: readonly string[] };
export type StallDaysEntry = DefinitionStallDays;

export type { Team };

export interface SignOff {
  readonly team: Team;
  readonly by: string;
  readonly at: string;
}

export interface FunnelDefinition extends FunnelDefinitionFields {
  readonly version: number;
  readonly name: string;
  readonly publishedAt: string;
  readonly signOffs: readonly SignOff[];
}

export const DEFAULT_DEFINITION_FIELDS: FunnelDefinitionFields = {
  mqlMinScore: 60,
  sqlRequireBudget: true,
  sqlRequireAuthority: true,
  sqlRequireNeed: true,
  sqlMaxTimelineDays: 90,
  speedToLeadMinutes: 1440,
  stallDaysDefault: 21,
  stallDays: [],
  attributionLookbackDays: 365,
  attributionHalfLifeDays: 7,
  dispositions: [...DISPOSITIONS],
  fallbackQueues: ['fallback'],
};

/** Version 1: DESIGN's defaults, in force from the first start until both teams publish another. */
export const VERSION_ONE: FunnelDefinition = {
  version: 1,
  name: 'Default funnel (DESIGN defaults)',
  publishedAt: '1970-01-01T00:00:00.000Z',
  signOffs: [],
  ...DEFAULT_DEFINITION_FIELDS,
};

/** Stall days per stage in the shape the stalled-opportunity metric takes. */
export function stallDaysOf(d: FunnelDefinitionFields): { default: number; byStage: Record<string, number> } {
  return { default: d.stallDaysDefault, byStage: Object.fromEntries(d.stallDays.map((s) => [s.stage, s.days])) };
}
