import type { EventEnvelope } from '../envelope';

/**
 * The funnel definition's lifecycle (DESIGN §3). These events are written only by the GraphQL
 * definition mutations, which enforce the signing rules, never accepted from POST /v1/events.
 * All of them share one subject so a partitioned log keeps them in one total order.
 */
export const DEFINITION_SUBJECT_ID = 'funnel-definition';

export const TEAMS = ['MARKETING', 'SALES'] as const;
export type Team = (typeof TEAMS)[number];

export interface DefinitionStallDays {
  readonly stage: string;
  readonly days: number;
}

/** Every field resolved: omitted inputs were filled from the latest published version. */
export interface DefinitionFieldsData {
  readonly mqlMinScore: number;
  readonly sqlRequireBudget: boolean;
  readonly sqlRequireAuthority: boolean;
  readonly sqlRequireNeed: boolean;
  readonly sqlMaxTimelineDays: number;
  readonly speedToLeadMinutes: number;
  readonly stallDaysDefault: number;
  readonly stallDays: readonly DefinitionStallDays[];
  readonly attributionLookbackDays: number;
  readonly attributionHalfLifeDays: number;
  readonly dispositions: readonly string[];
  /**
   * Routing (DESIGN §3): queues that mean "nobody owns this yet". Absent in events written before
   * the field existed; the registry fold reads those as the default.
   */
  readonly fallbackQueues?: readonly string[];
  // SLA business hours (DESIGN §3): absent = calendar minutes.
  readonly workingHours?: WorkingHoursData;
  /** IANA zone the working hours are read in; absent = UTC. */
  readonly timeZone?: string;
}

// --- SLA business hours (DESIGN §3 workingHours / timeZone) ---
export const WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Working days and one daily window in local wall time, `HH:MM` (end `24:00` = midnight). */
export interface WorkingHoursData {
  readonly days: readonly Weekday[];
  readonly start: string;
  readonly end: string;
}

export interface FunnelDefinitionDraftedData {
  readonly draftId: string;
  readonly name: string;
  readonly fields: DefinitionFieldsData;
  readonly by?: string;
}

export interface FunnelDefinitionDraftUpdatedData {
  readonly draftId: string;
  readonly name: string;
  readonly fields: DefinitionFieldsData;
  readonly by?: string;
}

export interface FunnelDefinitionSignedOffData {
  readonly draftId: string;
  readonly team: Team;
  readonly by: string;
}

export interface FunnelDefinitionPublishedData {
  readonly draftId: string;
}

export interface FunnelDefinitionDraftDiscardedData {
  readonly draftId: string;
  readonly by?: string;
}

export type FunnelDefinitionDrafted = EventEnvelope<'FunnelDefinitionDrafted', FunnelDefinitionDraftedData>;
export type FunnelDefinitionDraftUpdated = EventEnvelope<'FunnelDefinitionDraftUpdated', FunnelDefinitionDraftUpdatedData>;
export type FunnelDefinitionSignedOff = EventEnvelope<'FunnelDefinitionSignedOff', FunnelDefinitionSignedOffData>;
export type FunnelDefinitionPublished = EventEnvelope<'FunnelDefinitionPublished', FunnelDefinitionPublishedData>;
export type FunnelDefinitionDraftDiscarded = EventEnvelope<'FunnelDefinitionDraftDiscarded', FunnelDefinitionDraftDiscardedData>;

export type DefinitionEvent =
  | FunnelDefinitionDrafted
  | FunnelDefinitionDraftUpdated
  | FunnelDefinitionSignedOff
  | FunnelDefinitionPublished
  | FunnelDefinitionDraftDiscarded;

export const DEFINITION_EVENT_TYPES = [
  'FunnelDefinitionDrafted',
  'FunnelDefinitionDraftUpdated',
  'FunnelDefinitionSignedOff',
  'FunnelDefinitionPublished',
  'FunnelDefinitionDraftDiscarded',
] as const satisfies readonly DefinitionEvent['type'][];
