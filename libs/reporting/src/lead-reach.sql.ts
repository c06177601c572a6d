import {
  FUNNEL_STAGES,
  LEAD_CHANNEL_RULE,
  SOURCE_CAMPAIGN_RULE,
  type Dimension,
  type FunnelStage,
  type SourceField,
  type SourceOrigin,
  type SourceRule,
} from '@funnel/domain';
import { LEAD_EVENT_FACTS } from '@funnel/facts';

/**
 * ClickHouse SQL for DESIGN §4 "Stage reach for a lead", shared by every lead-level report.
 * Only whitelisted identifiers (stage and dimension names) are spliced; values are bound.
 *
 * Every aggregate here is min/argMin/argMax over (occurred_at, event_id), which duplicates
 * cannot change, so results are right before ReplacingMergeTree merges.
 */

/** Column suffix per stage: e_<s> = explicit entry time, r_<s> = reach time (entered or inferred). */
export const STAGE_COLUMN: Record<FunnelStage, string> = {
  CAPTURED: 'captured',
  MQL: 'mql',
  SAL: 'sal',
  SQL: 'sql',
  OPPORTUNITY: 'opp',
  WON: 'won',
};

export const reachCol = (s: FunnelStage) => `r_${STAGE_COLUMN[s]}`;
export const entryCol = (s: FunnelStage) => `e_${STAGE_COLUMN[s]}`;

/** Milliseconds since the epoch of a DateTime64 column, for exact differences. */
export const millis = (col: string) => `toUnixTimestamp64Milli(${col})`;
/** Float days from `a` to `b` (negative kept). */
export const daysBetween = (a: string, b: string) => `((${millis(b)} - ${millis(a)}) / 86400000.0)`;

const SOURCE_COLUMN: Record<SourceField, string> = { campaignId: 'campaign_id', channel: 'channel' };

/** A source rule (libs/domain lead-source.rule.ts) as `coalesce(...)` over the query's aliases for its origins. */
export function sourceRuleSql(rule: SourceRule, aliases: Partial<Record<SourceOrigin, string>>): string {
  const columns = rule.map(([origin, field]) => {
    const alias = aliases[origin];
    if (alias === undefined) throw new Error(`no alias for source origin ${origin}`);
    return `${alias}.${SOURCE_COLUMN[field]}`;
  });
  return `coalesce(${columns.join(', ')})`;
}

/** The joins of leadReachCtes: earliest capture, earliest touch, and the source campaign. */
const LEAD_SOURCES = { capture: 'cap', firstTouch: 'ft', sourceCampaign: 'camp' } as const;

/** The lead's breakdown key (DESIGN §4 "Breakdowns"), '(none)' when missing. */
function keySql(dimension: Dimension | undefined): string {
  switch (dimension) {
    case undefined:
      return `CAST(NULL, 'Nullable(String)')`;
    case 'CAMPAIGN':
      return `ifNull(${sourceRuleSql(SOURCE_CAMPAIGN_RULE, LEAD_SOURCES)}, '(none)')`;
    case 'CHANNEL':
      return `ifNull(${sourceRuleSql(LEAD_CHANNEL_RULE, LEAD_SOURCES)}, '(none)')`;
    case 'SEGMENT':
      return `ifNull(cap.segment, '(none)')`;
    case 'REGION':
      return `ifNull(cap.region, '(none)')`;
    case 'PRODUCT':
      return `ifNull(cap.product, '(none)')`;
    case 'OWNER':
      return `ifNull(own.owner_id, '(none)')`;
  }
}

/** Every event whose data.leadId is a lead: these make a lead, and date its CAPTURED reach when it was never captured. */
const LEAD_EVENTS_CTE = `lead_events AS (
  ${LEAD_EVENT_FACTS.map(({ table, where }) => `SELECT lead_id, occurred_at FROM ${table}${where ? ` WHERE ${where}` : ''}`).join('\n  UNION ALL ')}
)`;

/**
 * CTEs ending in `reach` with only lead_id and r_captured: the CAPTURED reach time alone, for
 * reports (attribution) that need no other stage.
 */
export function capturedReachCtes(): string {
  return `${LEAD_EVENTS_CTE},
reach AS (
  SELECT f.lead_id AS lead_id, ifNull(c.captured_at, f.first_at) AS r_captured
  FROM (SELECT lead_id, min(occurred_at) AS first_at FROM lead_events GROUP BY lead_id) AS f
  LEFT JOIN (SELECT lead_id, min(occurred_at) AS captured_at FROM lead_captures GROUP BY lead_id) AS c ON c.lead_id = f.lead_id
)`;
}

/** NULL-ignoring minimum of two nullable times. */
const nmin = (a: string, b: string) => `if(isNull(${a}), ${b}, if(isNull(${b}), ${a}, least(${a}, ${b})))`;

/**
 * CTEs ending in `reach`: one row per lead with e_* (entry) and r_* (reach) times per stage and
 * `key` for `dimension`. A lead is any id that is the data.leadId of some event; links from
 * OpportunityCreated.leadIds alone do not make a lead.
 */
export function leadReachCtes(dimension?: Dimension): string {
  // Reach of a skipped stage = earliest entry among the later stages; fold from WON downwards.
  const reachSelect: string[] = [];
  let laterMin: string | undefined;
  for (let i = FUNNEL_STAGES.length - 1; i >= 1; i--) {
    const s = FUNNEL_STAGES[i];
    reachSelect.push(laterMin ? `ifNull(${entryCol(s)}, ${laterMin}) AS ${reachCol(s)}` : `${entryCol(s)} AS ${reachCol(s)}`);
    laterMin = laterMin ? nmin(entryCol(s), laterMin) : entryCol(s);
  }
  reachSelect.push(`ifNull(e_captured, first_at) AS r_captured`);

  const needsTouch = dimension === 'CAMPAIGN' || dimension === 'CHANNEL';
  return `
${LEAD_EVENTS_CTE},
first_seen AS (SELECT lead_id, min(occurred_at) AS first_at FROM lead_events GROUP BY lead_id),
cap AS (
  -- tuple() keeps NULL members: argMin skips rows whose bare argument is NULL. Unpacked one
  -- level up because aliases named like columns would shadow the columns inside the tuple.
  SELECT lead_id, captured_at, t.1 AS campaign_id, t.2 AS channel, t.3 AS segment, t.4 AS region, t.5 AS product
  FROM (
    SELECT lead_id, min(occurred_at) AS captured_at,
           argMin(tuple(campaign_id, channel, segment, region, product), (occurred_at, event_id)) AS t
    FROM lead_captures GROUP BY lead_id
  )
),
stage_entries AS (
  SELECT lead_id,
         minIfOrNull(occurred_at, stage = 'MQL') AS mql_at,
         minIfOrNull(occurred_at, stage = 'SAL') AS sal_at,
         minIfOrNull(occurred_at, stage = 'SQL') AS sql_at
  FROM lead_stage_entries GROUP BY lead_id
),
opp_created AS (SELECT opportunity_id, min(occurred_at) AS created_at FROM opportunity_events WHERE type = 'OpportunityCreated' GROUP BY opportunity_id),
opp_won AS (SELECT opportunity_id, min(occurred_at) AS won_at FROM opportunity_events WHERE type = 'OpportunityWon' GROUP BY opportunity_id),
lead_opps AS (
  -- Links are timeless; only opportunities with an OpportunityCreated count.
  SELECT k.lead_id AS lead_id, min(c.created_at) AS opportunity_at, minOrNull(w.won_at) AS won_at
  FROM (SELECT DISTINCT lead_id, opportunity_id FROM lead_links) AS k
  INNER JOIN opp_created AS c ON c.opportunity_id = k.opportunity_id
  LEFT JOIN opp_won AS w ON w.opportunity_id = k.opportunity_id
  GROUP BY k.lead_id
),${needsTouch ? `
ft AS (
  SELECT lead_id, t.1 AS campaign_id, t.2 AS channel
  FROM (SELECT lead_id, argMin(tuple(campaign_id, channel), (occurred_at, event_id)) AS t FROM touches GROUP BY lead_id)
),
camp AS (SELECT campaign_id, argMax(channel, (occurred_at, event_id)) AS channel FROM campaigns GROUP BY campaign_id),` : ''}${dimension === 'OWNER' ? `
own AS (SELECT lead_id, argMax(owner_id, (occurred_at, event_id)) AS owner_id FROM lead_assignments GROUP BY lead_id),` : ''}
reach AS (
  SELECT f.lead_id AS lead_id, f.first_at AS first_at,
         cap.captured_at AS e_captured, se.mql_at AS e_mql, se.sal_at AS e_sal, se.sql_at AS e_sql,
         lo.opportunity_at AS e_opp, lo.won_at AS e_won,
         ${reachSelect.join(',\n         ')},
         ${keySql(dimension)} AS key
  FROM first_seen AS f
  LEFT JOIN cap ON cap.lead_id = f.lead_id
  LEFT JOIN stage_entries AS se ON se.lead_id = f.lead_id
  LEFT JOIN lead_opps AS lo ON lo.lead_id = f.lead_id${needsTouch ? `
  LEFT JOIN ft ON ft.lead_id = f.lead_id
  LEFT JOIN camp ON camp.campaign_id = ${sourceRuleSql(SOURCE_CAMPAIGN_RULE, LEAD_SOURCES)}` : ''}${dimension === 'OWNER' ? `
  LEFT JOIN own ON own.lead_id = f.lead_id` : ''}
)`;
}

/** Settings every report query runs with: outer joins yield NULL (not type defaults) when unmatched. */
export const REPORT_SETTINGS = 'SETTINGS join_use_nulls = 1';

/** `r_stage - r_anchor <= W days`; always true without a window. */
export function withinWindow(stage: FunnelStage, anchor: FunnelStage, windowDays: number | undefined): string {
  if (windowDays === undefined) return '1';
  return `(${millis(reachCol(stage))} - ${millis(reachCol(anchor))}) <= {windowDays:Int64} * 86400000`;
}
