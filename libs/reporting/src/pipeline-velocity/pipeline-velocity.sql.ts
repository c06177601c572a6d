import type { ClickHouse } from '@funnel/clickhouse';
import { pipelineVelocityOf, type PipelineVelocity } from './pipeline-velocity.rows';
import { daysBetween, millis } from '../lead-reach.sql';
import { OPPORTUNITY_AT_CTE } from '../opportunity-at.sql';

/**
 * Inputs of pipeline velocity as of {asOf} over a trailing window of {trailingDays}: open
 * opportunities, and among those whose status at {asOf} is won or lost, set by an event in
 * (asOf − D, asOf]: won and lost counts, mean won amount (the win's amount, else the latest
 * amount at or before it) and mean days from creation to that win.
 */
export const PIPELINE_VELOCITY_SQL = `WITH ${OPPORTUNITY_AT_CTE},
closed AS (
  SELECT o.opportunity_id AS opportunity_id, o.status AS status, o.created_at AS created_at,
         o.status_event.2 AS closed_at, o.status_event.3 AS closing_amount
  FROM opp_at AS o
  WHERE o.status IN ('won', 'lost')
    AND ${millis('o.status_event.2')} > ${millis("{asOf:DateTime64(3, 'UTC')}")} - {trailingDays:Int64} * 86400000
),
won AS (
  SELECT c.opportunity_id AS opportunity_id, c.created_at AS created_at, c.closed_at AS won_at,
         ifNull(any(c.closing_amount), argMaxIf(e.amount, (e.occurred_at, e.event_id),
                e.type IN ('OpportunityCreated', 'OpportunityAmountChanged') AND e.occurred_at <= c.closed_at)) AS won_amount
  FROM closed AS c INNER JOIN opportunity_events AS e ON e.opportunity_id = c.opportunity_id
  WHERE c.status = 'won'
  GROUP BY c.opportunity_id, c.created_at, c.closed_at
)
SELECT (SELECT count() FROM opp_at WHERE status = 'open') AS open_opportunities,
       (SELECT count() FROM closed WHERE status = 'won') AS won,
       (SELECT count() FROM closed WHERE status = 'lost') AS lost,
       (SELECT avgOrNull(won_amount) FROM won) AS avg_won_amount,
       (SELECT avgOrNull(${daysBetween('created_at', 'won_at')}) FROM won) AS avg_cycle_days
SETTINGS join_use_nulls = 1`;

export async function runPipelineVelocity(
  ch: ClickHouse,
  p: { asOf: string; trailingDays: number },
): Promise<PipelineVelocity> {
  const [r] = await ch.query<{
    open_opportunities: string; won: string; lost: string; avg_won_amount: number | null; avg_cycle_days: number | null;
  }>(PIPELINE_VELOCITY_SQL, p);
  return pipelineVelocityOf({
    openOpportunities: Number(r.open_opportunities),
    won: Number(r.won),
    lost: Number(r.lost),
    avgWonAmount: r.avg_won_amount,
    avgCycleDays: r.avg_cycle_days,
  });
}
