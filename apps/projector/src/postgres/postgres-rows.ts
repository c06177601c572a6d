import {
  currentOpportunityStage,
  type CampaignState,
  type LeadState,
  type OpportunityState,
} from '@funnel/domain';

/** Flattens domain state into the columns of the `leads`, `opportunities`, `campaigns` tables. */
export function leadRow(s: LeadState) {
  const capture = s.capture?.value;
  return {
    lead_id: s.leadId,
    account_id: s.accountId?.value ?? null,
    first_seen_at: s.firstEvent.at,
    captured_at: s.capture?.at ?? null,
    // DESIGN §4: the campaign of the earliest capture if it has one, else of the earliest touch.
    source_campaign_id: capture?.campaignId ?? s.firstTouch?.value.campaignId ?? null,
    capture_channel: capture?.channel ?? null,
    first_touch_channel: s.firstTouch?.value.channel ?? null,
    segment: capture?.attributes.segment ?? null,
    region: capture?.attributes.region ?? null,
    product: capture?.attributes.product ?? null,
    industry: capture?.attributes.industry ?? null,
    company_size: capture?.attributes.companySize ?? null,
    mql_at: s.stageEntries.MQL?.at ?? null,
    sal_at: s.stageEntries.SAL?.at ?? null,
    sql_at: s.stageEntries.SQL?.at ?? null,
    current_stage: s.currentStage?.value ?? null,
    score: s.score?.value.score ?? null,
    budget: s.budget?.value ?? null,
    authority: s.authority?.value ?? null,
    need: s.need?.value ?? null,
    timeline_days: s.timelineDays?.value ?? null,
    // The latest LeadAssigned, as the OWNER breakdown defines it (a capture's ownerId is not an assignment).
    owner_id: s.owner?.value.ownerId ?? null,
    first_activity_at: s.firstActivity?.at ?? null,
    last_activity_at: s.lastActivity?.at ?? null,
    disposition: s.disposition?.value.disposition ?? null,
    dispositioned_at: s.disposition?.at ?? null,
    recycled_at: s.recycled?.at ?? null,
    state: s,
  };
}

export function opportunityRow(s: OpportunityState) {
  const created = s.created;
  return {
    opportunity_id: s.opportunityId,
    account_id: created?.value.accountId ?? null,
    owner_id: created?.value.ownerId ?? null,
    created_at: created?.at ?? null,
    creation_amount: created?.value.amount ?? null,
    stage: currentOpportunityStage(s) ?? null,
    stage_changed_at: s.stageChange?.at ?? null,
    amount: s.amount?.value ?? null,
    status: s.status?.value.status ?? 'open',
    status_changed_at: s.status?.at ?? null,
    lost_reason: s.status?.value.status === 'lost' ? (s.status.value.reason ?? null) : null,
    won_at: s.firstWon?.at ?? null,
    won_amount: s.firstWon?.value.amount ?? null,
    next_step: s.nextStep?.value.nextStep ?? null,
    next_step_due_at: s.nextStep?.value.dueAt ?? null,
    next_step_set_at: s.nextStep?.at ?? null,
    stall_reason: s.stallAck?.value.reason ?? null,
    stall_resume_by: s.stallAck?.value.resumeBy ?? null,
    state: s,
  };
}

export function campaignRow(s: CampaignState) {
  return {
    campaign_id: s.campaignId,
    name: s.launch?.value.name ?? null,
    channel: s.launch?.value.channel ?? null,
    budget: s.launch?.value.budget ?? null,
    launched_at: s.launch?.at ?? null,
    state: s,
  };
}
