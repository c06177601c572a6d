import type { SubjectRef } from './envelope';
import type { FunnelEvent } from './events/funnel.events';

/** The subject an event belongs to: its log key, so each subject's events stay in order. */
export function subjectOf(event: FunnelEvent): SubjectRef {
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
    default: {
      const unhandled: never = event;
      throw new Error(`No subject for event type ${(unhandled as { type: string }).type}`);
    }
  }
}
