const AS_OF = `{asOf:DateTime64(3, 'UTC')}`;

/**
 * Per opportunity created at or before {asOf}: its state as of {asOf} from the fact history
 * (DESIGN §4 "Stalled opportunities"): status, stage, the stage clock, amount, next step and
 * stall acknowledgements. Ties at one instant are broken by event id, as everywhere; every
 * aggregate is a min/max choice or an existence test, so duplicates before merges are harmless.
 * Aliases avoid column names: ClickHouse would resolve a column to a same-named alias.
 */
export const OPPORTUNITY_AT_CTE = `
opp_agg AS (
  SELECT opportunity_id,
         minIf(occurred_at, type = 'OpportunityCreated') AS created_at,
         argMinIf(tuple(stage, owner_id), (occurred_at, event_id), type = 'OpportunityCreated') AS creation,
         argMaxIf(tuple(type, occurred_at, amount), (occurred_at, event_id),
                  type IN ('OpportunityWon', 'OpportunityLost', 'OpportunityReopened') AND occurred_at <= ${AS_OF}) AS status_event,
         countIf(type = 'OpportunityStageChanged' AND occurred_at <= ${AS_OF}) > 0 AS has_stage_change,
         maxIf(occurred_at, type = 'OpportunityStageChanged' AND occurred_at <= ${AS_OF}) AS last_stage_change_at,
         argMaxIf(tuple(stage), (occurred_at, event_id), type = 'OpportunityStageChanged' AND occurred_at <= ${AS_OF}) AS changed,
         argMaxIf(tuple(amount), (occurred_at, event_id),
                  type IN ('OpportunityCreated', 'OpportunityAmountChanged') AND occurred_at <= ${AS_OF}) AS amount_t,
         countIf(type = 'OpportunityNextStepSet' AND occurred_at <= ${AS_OF}) > 0 AS has_next_step,
         argMaxIf(tuple(due_at), (occurred_at, event_id), type = 'OpportunityNextStepSet' AND occurred_at <= ${AS_OF}) AS next_step_t,
         countIf(type = 'OpportunityStallAcknowledged' AND occurred_at <= ${AS_OF} AND resume_by > ${AS_OF}) > 0 AS acknowledged,
         countIf(type = 'OpportunityCreated') > 0 AS is_created
  FROM opportunity_events
  GROUP BY opportunity_id
),
opp_at AS (
  SELECT opportunity_id, created_at, has_next_step, acknowledged, status_event,
         multiIf(status_event.1 = 'OpportunityWon', 'won', status_event.1 = 'OpportunityLost', 'lost', 'open') AS status,
         if(has_stage_change, changed.1, creation.1) AS stage_at,
         creation.2 AS owner_at,
         if(has_stage_change, greatest(created_at, last_stage_change_at), created_at) AS stage_since,
         amount_t.1 AS amount_at,
         next_step_t.1 AS next_step_due
  FROM opp_agg
  WHERE is_created AND created_at <= ${AS_OF}
)`;
