import { currentOpportunityStage, type OpportunityState } from '@funnel/domain';
import { subjectTable } from '../subject-table';

/** `opportunities`: current state of every opportunity (migration 1700000000000 creates it). */
export const OPPORTUNITIES = subjectTable<OpportunityState>()('opportunities', {
  opportunity_id: { type: 'text', from: (s) => s.opportunityId },
  account_id: { type: 'text', from: (s) => s.created?.value.accountId },
  owner_id: { type: 'text', from: (s) => s.created?.value.ownerId },
  created_at: { type: 'timestamptz', from: (s) => s.created?.at },
  creation_amount: { type: 'double precision', from: (s) => s.created?.value.amount },
  stage: { type: 'text', from: (s) => currentOpportunityStage(s) },
  stage_changed_at: { type: 'timestamptz', from: (s) => s.stageChange?.at },
  amount: { type: 'double precision', from: (s) => s.amount?.value },
  status: { type: 'text', from: (s) => s.status?.value.status ?? 'open' },
  status_changed_at: { type: 'timestamptz', from: (s) => s.status?.at },
  lost_reason: { type: 'text', from: (s) => (s.status?.value.status === 'lost' ? s.status.value.reason : undefined) },
  won_at: { type: 'timestamptz', from: (s) => s.firstWon?.at },
  won_amount: { type: 'double precision', from: (s) => s.firstWon?.value.amount },
  next_step: { type: 'text', from: (s) => s.nextStep?.value.nextStep },
  next_step_due_at: { type: 'timestamptz', from: (s) => s.nextStep?.value.dueAt },
  next_step_set_at: { type: 'timestamptz', from: (s) => s.nextStep?.at },
  stall_reason: { type: 'text', from: (s) => s.stallAck?.value.reason },
  stall_resume_by: { type: 'timestamptz', from: (s) => s.stallAck?.value.resumeBy },
});
