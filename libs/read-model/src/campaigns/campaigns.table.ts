import type { CampaignState } from '@funnel/domain';
import { subjectTable } from '../subject-table';

/** `campaigns`: current state of every campaign (migration 1700000000000 creates it). */
export const CAMPAIGNS = subjectTable<CampaignState>()('campaigns', {
  campaign_id: { type: 'text', from: (s) => s.campaignId },
  name: { type: 'text', from: (s) => s.launch?.value.name },
  channel: { type: 'text', from: (s) => s.launch?.value.channel },
  budget: { type: 'double precision', from: (s) => s.launch?.value.budget },
  launched_at: { type: 'timestamptz', from: (s) => s.launch?.at },
});
