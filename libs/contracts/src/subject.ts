import type { SubjectRef } from './envelope';
import { DEFINITION_SUBJECT_ID } from './events/definition.events';
import type { LogEvent } from './events/log.events';

/** The subject an event belongs to: its log key, so each subject's events stay in order. */
export function subjectOf(event: LogEvent): SubjectRef {
  switch (event.type) {
    case 'LeadCaptured':
    case 'LeadTouched':
    case 'LeadScored':
    case 'LeadStageChanged':
    case 'LeadQualificationUpdated':
    case 'LeadAssigned':
    case 'LeadActivityLogged':
    case 'LeadDispositioned':
    case 'LeadRecycled':
    case 'LeadConverted':
    case 'LeadSlaBreached':
      return { kind: 'lead', id: event.data.leadId };
    case 'OpportunityCreated':
    case 'OpportunityStageChanged':
    case 'OpportunityAmountChanged':
    case 'OpportunityNextStepSet':
    case 'OpportunityStallAcknowledged':
    case 'OpportunityWon':
    case 'OpportunityLost':
    case 'OpportunityReopened':
      return { kind: 'opportunity', id: event.data.opportunityId };
    case 'CampaignLaunched':
    case 'CampaignCostRecorded':
      return { kind: 'campaign', id: event.data.campaignId };
    case 'FunnelDefinitionDrafted':
    case 'FunnelDefinitionDraftUpdated':
    case 'FunnelDefinitionSignedOff':
    case 'FunnelDefinitionPublished':
    case 'FunnelDefinitionDraftDiscarded':
      return { kind: 'definition', id: DEFINITION_SUBJECT_ID };
    case 'ReviewDecisionRecorded':
    case 'EventRetracted':
      return { kind: event.data.subjectKind, id: event.data.subjectId };
    default: {
      const unhandled: never = event;
      throw new Error(`No subject for event type ${(unhandled as { type: string }).type}`);
    }
  }
}
