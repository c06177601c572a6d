import type { CampaignEvent } from './campaign.events';
import type { LeadEvent } from './lead.events';
import type { OpportunityEvent } from './opportunity.events';

export type FunnelEvent = LeadEvent | OpportunityEvent | CampaignEvent;
export type FunnelEventType = FunnelEvent['type'];

/** The only envelope `schemaVersion` in use; older shapes will get an upcaster when v2 arrives. */
export const CURRENT_SCHEMA_VERSION = 1;

// Listed by hand so error messages show the types in catalogue order; `UnlistedEventType` below
// stops the build when a type is added to a union but not here.
export const EVENT_TYPES = [
  'LeadCaptured',
  'LeadTouched',
  'LeadScored',
  'LeadStageChanged',
  'LeadQualificationUpdated',
  'LeadAssigned',
  'LeadActivityLogged',
  'LeadDispositioned',
  'LeadRecycled',
  'LeadConverted',
  'OpportunityCreated',
  'OpportunityStageChanged',
  'OpportunityAmountChanged',
  'OpportunityNextStepSet',
  'OpportunityStallAcknowledged',
  'OpportunityWon',
  'OpportunityLost',
  'OpportunityReopened',
  'CampaignLaunched',
  'CampaignCostRecorded',
] as const satisfies readonly FunnelEventType[];

type MustBeEmpty<T extends never> = T;
type UnlistedEventType = MustBeEmpty<Exclude<FunnelEventType, (typeof EVENT_TYPES)[number]>>;

export function isFunnelEventType(value: unknown): value is FunnelEventType {
  return typeof value === 'string' && (EVENT_TYPES as readonly string[]).includes(value);
}
