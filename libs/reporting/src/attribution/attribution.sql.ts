import type { ClickHouse } from '@funnel/clickhouse';
import { TOUCH_CHANNEL_RULE, type AttributionDimension, type AttributionModel, type Milestone } from '@funnel/domain';
import {
  POSITION_BASED_WEIGHTS,
  SHAPED_WEIGHTS,
  milestoneWeights,
  type MilestoneTouch,
  type ShapedWeights,
} from './attribution.constants';
import type { AttributionReport } from './attribution.rows';
import { capturedReachCtes, opportunityMilestonesCte, REPORT_SETTINGS, sourceRuleSql } from '../lead-reach.sql';

export interface AttributionQuery {
  readonly model: AttributionModel;
  readonly milestone: Milestone;
  readonly by: AttributionDimension;
}

const IN_PERIOD = (col: string) => `${col} >= {from:DateTime64(3, 'UTC')} AND ${col} < {to:DateTime64(3, 'UTC')}`;
const NO_TIME = `CAST(NULL, 'Nullable(DateTime64(3, \\'UTC\\'))')`;

/**
 * The conversions of the period (conv_id, milestone time m, amount, and the cut-offs that
 * locate the LC, OC and CW touches) and the leads whose touches form each journey (conv_leads).
 * The period is applied first, on one state row per subject, so that only the leads of its
 * conversions are read further (their reach, their links, their touches).
 */
function conversionCtes(milestone: Milestone): string {
  if (milestone === 'LEAD_CREATED') {
    return `${capturedReachCtes()},
conversions AS (
  SELECT lead_id AS conv_id, r_captured AS m, toFloat64(0) AS amount, r_captured AS lc_cut, ${NO_TIME} AS oc_cut, ${NO_TIME} AS cw_cut
  FROM reach WHERE ${IN_PERIOD('r_captured')}
),
conv_leads AS (SELECT conv_id, conv_id AS lead_id FROM conversions)`;
  }
  const m = milestone === 'WON' ? 'won_at' : 'created_at';
  const opportunities = `${opportunityMilestonesCte('opps')},
period_opps AS (SELECT * FROM opps WHERE ${IN_PERIOD(m)}),
period_links AS (
  SELECT DISTINCT opportunity_id AS conv_id, lead_id FROM lead_links
  WHERE opportunity_id IN (SELECT opportunity_id FROM period_opps)
),
${capturedReachCtes('lead_id IN (SELECT lead_id FROM period_links)')},
links AS (
  -- Only leads (ids that are the data.leadId of some event) bring touches and LC cut-offs.
  SELECT k.conv_id AS conv_id, k.lead_id AS lead_id, r.r_captured AS r_captured
  FROM period_links AS k INNER JOIN reach AS r ON r.lead_id = k.lead_id
),
lc_cuts AS (SELECT conv_id, min(r_captured) AS lc_cut FROM links GROUP BY conv_id),
conv_leads AS (SELECT conv_id, lead_id FROM links)`;
  if (milestone === 'OPPORTUNITY_CREATED') {
    return `${opportunities},
conversions AS (
  SELECT o.opportunity_id AS conv_id, o.created_at AS m, o.created_amount AS amount, l.lc_cut AS lc_cut,
         o.created_at AS oc_cut, ${NO_TIME} AS cw_cut
  FROM period_opps AS o LEFT JOIN lc_cuts AS l ON l.conv_id = o.opportunity_id
)`;
  }
  return `${opportunities},
won_amounts AS (
  -- The win's own amount, else the latest created/changed amount at or before the win.
  SELECT o.opportunity_id AS opportunity_id,
         ifNull(any(o.won_amount), argMaxIf(e.amount, (e.occurred_at, e.event_id),
                e.type IN ('OpportunityCreated', 'OpportunityAmountChanged') AND e.occurred_at <= o.won_at)) AS conv_amount
  FROM period_opps AS o INNER JOIN opportunity_events AS e ON e.opportunity_id = o.opportunity_id
  WHERE e.opportunity_id IN (SELECT opportunity_id FROM period_opps)
  GROUP BY o.opportunity_id
),
conversions AS (
  SELECT o.opportunity_id AS conv_id, assumeNotNull(o.won_at) AS m, w.conv_amount AS amount, l.lc_cut AS lc_cut,
         o.created_at AS oc_cut, o.won_at AS cw_cut
  FROM period_opps AS o
  INNER JOIN won_amounts AS w ON w.opportunity_id = o.opportunity_id
  LEFT JOIN lc_cuts AS l ON l.conv_id = o.opportunity_id
)`;
}

const NONE = `'(none)'`;

/**
 * Raw weight of touch i (1-based) of a journey of n touches, as a ClickHouse lambda body over
 * i. ft/lc/oc/cw are the indexes of the milestone touches (0 = none holds it); a touch that
 * holds several milestones adds their shares; "others" hold none of the model's milestones.
 */
const HOLDER_INDEX: Record<MilestoneTouch, string> = { FT: '1', LC: 'lc', OC: 'oc', CW: 'cw' };

function rawWeight(model: AttributionModel): string {
  const shares = (weights: ShapedWeights) => {
    const milestones = milestoneWeights(weights).map(([m, w]) => [HOLDER_INDEX[m], w] as const);
    const held = milestones.map(([m]) => `i = ${m}`).join(' OR ');
    const sum = milestones.map(([m, w]) => `if(i = ${m}, ${w}, 0)`).join(' + ');
    return `${sum} + if(NOT (${held}), ${weights.others} / greatest(arrayCount(j -> NOT (${held.replaceAll('i =', 'j =')}), range(1, n + 1)), 1), 0)`;
  };
  const pb = POSITION_BASED_WEIGHTS;
  switch (model) {
    case 'FIRST_TOUCH':
      return 'if(i = 1, 1, 0)';
    case 'LAST_TOUCH':
      return 'if(i = n, 1, 0)';
    case 'LINEAR':
      return '1';
    case 'POSITION_BASED':
      return `multiIf(n = 1, 1, n = 2, 0.5, i = 1, ${pb.first}, i = n, ${pb.last}, ${pb.middle} / (n - 2))`;
    case 'U_SHAPED':
    case 'W_SHAPED':
    case 'FULL_PATH':
      return shares(SHAPED_WEIGHTS[model]);
    case 'TIME_DECAY':
      return `pow(2, -((toUnixTimestamp64Milli(m) - toUnixTimestamp64Milli(times[i])) / 86400000.0) / {halfLifeDays:Float64})`;
  }
}

/**
 * Credit and value per touch key for conversions whose milestone is in [{from}, {to}).
 * Params: from, to, lookbackDays (Int64), halfLifeDays (Float64, TIME_DECAY only).
 */
export function attributionSql(q: AttributionQuery): string {
  const key =
    q.by === 'CAMPAIGN'
      ? `ifNull(t.campaign_id, ${NONE})`
      : `ifNull(${sourceRuleSql(TOUCH_CHANNEL_RULE, { touch: 't', touchCampaign: 'camp' })}, ${NONE})`;
  return `WITH ${conversionCtes(q.milestone)},
touch AS (
  -- One row per touch event of the journeys' leads (read through the primary key), whatever
  -- merges have happened.
  SELECT event_id, any(lead_id) AS lead_id, any(occurred_at) AS occurred_at, any(campaign_id) AS campaign_id, any(channel) AS channel
  FROM (SELECT event_id, lead_id, occurred_at, campaign_id, channel FROM touches WHERE lead_id IN (SELECT lead_id FROM conv_leads))
  GROUP BY event_id
),
camp AS (SELECT campaign_id, argMax(channel, (occurred_at, event_id)) AS channel FROM campaigns GROUP BY campaign_id),
journeys AS (
  -- One pass: every conversion of the period with its journey (possibly empty), the touches of
  -- its leads inside [m − lookback, m], sorted by (occurredAt, event id).
  SELECT p.conv_id AS conv_id, any(p.m) AS m, any(ifNull(p.amount, 0)) AS amount,
         any(p.lc_cut) AS lc_cut, any(p.oc_cut) AS oc_cut, any(p.cw_cut) AS cw_cut,
         arraySort(x -> (x.2, x.1), groupArrayIf(
           tuple(assumeNotNull(t.event_id), assumeNotNull(t.occurred_at), ${key}),
           t.event_id IS NOT NULL AND t.occurred_at <= p.m
             AND toUnixTimestamp64Milli(t.occurred_at) >= toUnixTimestamp64Milli(p.m) - {lookbackDays:Int64} * 86400000)) AS js
  FROM conversions AS p
  LEFT JOIN conv_leads AS cl ON cl.conv_id = p.conv_id
  LEFT JOIN touch AS t ON t.lead_id = cl.lead_id
  LEFT JOIN camp ON camp.campaign_id = t.campaign_id
  GROUP BY p.conv_id
),
weighted AS (
  SELECT conv_id, m, amount, length(js) AS n,
         arrayMap(x -> x.2, js) AS times,
         arrayMap(x -> x.3, js) AS keys,
         if(isNull(lc_cut), 0, arrayLastIndex(x -> x <= assumeNotNull(lc_cut), times)) AS lc,
         if(isNull(oc_cut), 0, arrayLastIndex(x -> x <= assumeNotNull(oc_cut), times)) AS oc,
         if(isNull(cw_cut), 0, arrayLastIndex(x -> x <= assumeNotNull(cw_cut), times)) AS cw,
         arrayMap(i -> toFloat64(${rawWeight(q.model)}), range(1, n + 1)) AS raw,
         if(n = 0, [1.0], arrayMap(w -> w / arraySum(raw), raw)) AS weights,
         if(n = 0, [${NONE}], keys) AS credit_keys
  FROM journeys
),
credits AS (
  SELECT kw.1 AS key, kw.2 AS share, amount FROM weighted ARRAY JOIN arrayZip(credit_keys, weights) AS kw
)
SELECT key, sum(share) AS credit, sum(share * amount) AS value
FROM credits
GROUP BY key
ORDER BY key
${REPORT_SETTINGS}`;
}

export interface AttributionParams extends AttributionQuery {
  readonly from: string;
  readonly to: string;
  readonly lookbackDays: number;
  readonly halfLifeDays: number;
}

/** DESIGN §4 Attribution in ClickHouse; same result shape as the reference `attributionReport`. */
export async function runAttribution(ch: ClickHouse, p: AttributionParams): Promise<AttributionReport> {
  const rows = await ch.query<{ key: string; credit: number; value: number }>(attributionSql(p), {
    from: p.from,
    to: p.to,
    lookbackDays: p.lookbackDays,
    halfLifeDays: p.halfLifeDays,
  });
  // Each conversion hands out exactly one unit of credit and its whole amount, so the totals
  // are the sums of the rows (rounding removes float dust from the count).
  return {
    conversions: Math.round(rows.reduce((n, r) => n + r.credit, 0)),
    totalValue: rows.reduce((v, r) => v + r.value, 0),
    rows,
  };
}
