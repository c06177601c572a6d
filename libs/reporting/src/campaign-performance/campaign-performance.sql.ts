import type { ClickHouse } from '@funnel/clickhouse';
import type { AttributionModel } from '@funnel/domain';
import { CampaignTotalsMap, type CampaignPerformanceRow } from './campaign-performance.rows';
import { leadReachCtes, millis, REPORT_SETTINGS } from '../lead-reach.sql';
import { runAttribution } from '../attribution/attribution.sql';

/** Name and channel of every launched campaign (latest launch), and its cost prorated to [{from}, {to}). */
export const CAMPAIGN_COSTS_SQL = `
SELECT campaign_id, any(name) AS name, any(channel) AS channel, sum(amount * share) AS cost, countIf(share > 0) > 0 AS cost_recorded
FROM (
  SELECT campaign_id, t.1 AS name, t.2 AS channel, 0 AS amount, 0 AS share
  FROM (SELECT campaign_id, argMax(tuple(name, channel), (occurred_at, event_id)) AS t FROM campaigns GROUP BY campaign_id)
  UNION ALL
  -- The share of a cost period [start, end] inside the report period; a zero-length one counts
  -- fully when it starts inside.
  SELECT campaign_id, NULL, NULL, amount,
         if(${millis('period_end')} <= ${millis('period_start')},
                     if(period_start >= {from:DateTime64(3, 'UTC')} AND period_start < {to:DateTime64(3, 'UTC')}, 1, 0),
                     greatest(0, least(${millis('period_end')}, ${millis("{to:DateTime64(3, 'UTC')}")})
                               - greatest(${millis('period_start')}, ${millis("{from:DateTime64(3, 'UTC')}")}))
                       / (${millis('period_end')} - ${millis('period_start')}))
  FROM (SELECT event_id, any(campaign_id) AS campaign_id, any(amount) AS amount, any(period_start) AS period_start,
               any(period_end) AS period_end FROM campaign_costs GROUP BY event_id)
)
GROUP BY campaign_id`;

/** Leads captured in [{from}, {to}) per source campaign, and how many of them reached MQL and SQL. */
export const CAMPAIGN_LEADS_SQL = `WITH ${leadReachCtes('CAMPAIGN')}
SELECT key AS campaign_id, count() AS leads, countIf(r_mql IS NOT NULL) AS mqls, countIf(r_sql IS NOT NULL) AS sqls
FROM reach
WHERE r_captured >= {from:DateTime64(3, 'UTC')} AND r_captured < {to:DateTime64(3, 'UTC')} AND key != '(none)'
GROUP BY key
${REPORT_SETTINGS}`;

export interface CampaignPerformanceParams {
  readonly from: string;
  readonly to: string;
  readonly model: AttributionModel;
  readonly lookbackDays: number;
  readonly halfLifeDays: number;
}

/** Cost, sourced leads and attributed pipeline and revenue per campaign (the reference's scorecard). */
export async function runCampaignPerformance(ch: ClickHouse, p: CampaignPerformanceParams): Promise<CampaignPerformanceRow[]> {
  const period = { from: p.from, to: p.to };
  const [costs, leads, pipeline, revenue] = await Promise.all([
    ch.query<{ campaign_id: string; name: string | null; channel: string | null; cost: number; cost_recorded: boolean | number }>(CAMPAIGN_COSTS_SQL, period),
    ch.query<{ campaign_id: string; leads: string; mqls: string; sqls: string }>(CAMPAIGN_LEADS_SQL, period),
    runAttribution(ch, { ...p, milestone: 'OPPORTUNITY_CREATED', by: 'CAMPAIGN' }),
    runAttribution(ch, { ...p, milestone: 'WON', by: 'CAMPAIGN' }),
  ]);
  const totals = new CampaignTotalsMap();
  for (const c of costs) {
    Object.assign(totals.row(c.campaign_id), { name: c.name, channel: c.channel, cost: c.cost, costRecorded: Boolean(Number(c.cost_recorded)) });
  }
  for (const l of leads) Object.assign(totals.row(l.campaign_id), { leads: Number(l.leads), mqls: Number(l.mqls), sqls: Number(l.sqls) });
  totals.addCredit(pipeline.rows, revenue.rows);
  return totals.rows();
}
