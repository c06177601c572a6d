import { firstOf, SOURCE_CAMPAIGN_RULE, type LeadState } from '@funnel/domain';
import { subjectTable } from '../subject-table';

/** `leads`: current state of every lead (migration 1700000000000 creates it). */
export const LEADS = subjectTable<LeadState>()('leads', {
  lead_id: { type: 'text', from: (s) => s.leadId },
  account_id: { type: 'text', from: (s) => s.accountId?.value },
  first_seen_at: { type: 'timestamptz', from: (s) => s.firstEvent.at },
  captured_at: { type: 'timestamptz', from: (s) => s.capture?.at },
  source_campaign_id: {
    type: 'text',
    from: (s) => firstOf(SOURCE_CAMPAIGN_RULE, { capture: s.capture?.value, firstTouch: s.firstTouch?.value }),
  },
  capture_channel: { type: 'text', from: (s) => s.capture?.value.channel },
  first_touch_channel: { type: 'text', from: (s) => s.firstTouch?.value.channel },
  segment: { type: 'text', from: (s) => s.capture?.value.attributes.segment },
  region: { type: 'text', from: (s) => s.capture?.value.attributes.region },
  product: { type: 'text', from: (s) => s.capture?.value.attributes.product },
  industry: { type: 'text', from: (s) => s.capture?.value.attributes.industry },
  company_size: { type: 'text', from: (s) => s.capture?.value.attributes.companySize },
  mql_at: { type: 'timestamptz', from: (s) => s.stageEntries.MQL?.at },
  sal_at: { type: 'timestamptz', from: (s) => s.stageEntries.SAL?.at },
  sql_at: { type: 'timestamptz', from: (s) => s.stageEntries.SQL?.at },
  current_stage: { type: 'text', from: (s) => s.currentStage?.value },
  score: { type: 'double precision', from: (s) => s.score?.value.score },
  budget: { type: 'boolean', from: (s) => s.budget?.value },
  authority: { type: 'boolean', from: (s) => s.authority?.value },
  need: { type: 'boolean', from: (s) => s.need?.value },
  timeline_days: { type: 'integer', from: (s) => s.timelineDays?.value },
  // The latest LeadAssigned, as the OWNER breakdown defines it (a capture's ownerId is not an assignment).
  owner_id: { type: 'text', from: (s) => s.owner?.value.ownerId },
  first_activity_at: { type: 'timestamptz', from: (s) => s.firstActivity?.at },
  last_activity_at: { type: 'timestamptz', from: (s) => s.lastActivity?.at },
  disposition: { type: 'text', from: (s) => s.disposition?.value.disposition },
  dispositioned_at: { type: 'timestamptz', from: (s) => s.disposition?.at },
  recycled_at: { type: 'timestamptz', from: (s) => s.recycled?.at },
});
