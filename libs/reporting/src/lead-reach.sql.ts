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

/** A source rule as `coalesce(...)` over `column(origin, column name)` for each of its places. */
function sourceRuleOver(rule: SourceRule, column: (origin: SourceOrigin, name: string) => string): string {
  return `coalesce(${rule.map(([origin, field]) => column(origin, SOURCE_COLUMN[field])).join(', ')})`;
}

/** A source rule (libs/domain lead-source.rule.ts) as `coalesce(...)` over the query's aliases for its origins. */
export function sourceRuleSql(rule: SourceRule, aliases: Partial<Record<SourceOrigin, string>>): string {
  return sourceRuleOver(rule, (origin, name) => {
    const alias = aliases[origin];
    if (alias === undefined) throw new Error(`no alias for source origin ${origin}`);
    return `${alias}.${name}`;
  });
}

/**
 * A lead's source places inside `reach`: its earliest capture and earliest touch come from
 * lead_state (cap_* and ft_* columns of `ls`), its source campaign from the `camp` join.
 */
const leadSourceSql = (rule: SourceRule) =>
  sourceRuleOver(rule, (origin, name) => {
    switch (origin) {
      case 'capture':
        return `ls.cap_${name}`;
      case 'firstTouch':
        return `ls.ft_${name}`;
      case 'sourceCampaign':
        return `camp.${name}`;
      default:
        throw new Error(`a lead has no source origin ${origin}`);
    }
  });

/** The lead's breakdown key (DESIGN §4 "Breakdowns"), '(none)' when missing. */
function keySql(dimension: Dimension | undefined): string {
  switch (dimension) {
    case undefined:
      return `CAST(NULL, 'Nullable(String)')`;
    case 'CAMPAIGN':
      return `ifNull(${leadSourceSql(SOURCE_CAMPAIGN_RULE)}, '(none)')`;
    case 'CHANNEL':
      return `ifNull(${leadSourceSql(LEAD_CHANNEL_RULE)}, '(none)')`;
    case 'SEGMENT':
      return `ifNull(ls.cap_segment, '(none)')`;
    case 'REGION':
      return `ifNull(ls.cap_region, '(none)')`;
    case 'PRODUCT':
      return `ifNull(ls.cap_product, '(none)')`;
    case 'OWNER':
      return `ifNull(ls.owner_id, '(none)')`;
  }
}

/** lead_state's String-encoded source fields (migration 004), each its own state. */
const SOURCE_STATES = [
  'capture_campaign_id', 'capture_channel', 'capture_segment', 'capture_region', 'capture_product',
  'first_touch_campaign_id', 'first_touch_channel',
] as const;

/** A source field's merged state decoded: migration 004 stores NULL as '' and a value v as '=' || v. */
const decoded = (merged: string) => `if(${merged} = '', NULL, substring(${merged}, 2))`;

/**
 * The lead_state columns (migrations 002 and 004) merged per lead: one row per lead whatever
 * merges have happened. Every state there is min/argMin/argMax over (occurred_at, event_id),
 * which duplicates cannot change. A lead is a lead_id that is the data.leadId of some event
 * (first_at set); `where` (a condition on lead_id) restricts the leads read, through the
 * primary key. Source fields read as s_<state column>, the owner as s_owner_id.
 */
function leadStateSql(columns: readonly string[], where?: string): string {
  // Unused merges are pruned from the subquery by the engine: a report reads the states it needs.
  const sources = SOURCE_STATES.map((c) => `${decoded(`argMinMerge(${c})`)} AS s_${c}`);
  return `SELECT lead_id, ${columns.join(', ')}
  FROM (
    SELECT lead_id, min(first_at) AS first_seen_at,
           min(captured_at) AS s_captured_at, min(mql_at) AS s_mql_at, min(sal_at) AS s_sal_at, min(sql_at) AS s_sql_at,
           ${sources.join(', ')}, ${decoded('argMaxMerge(owner_id)')} AS s_owner_id
    FROM lead_state${where ? ` WHERE ${where}` : ''} GROUP BY lead_id
  )
  WHERE first_seen_at IS NOT NULL`;
  // (first_seen_at, and created_at below, are then known to be set: assumeNotNull gives them
  // the non-Nullable types the facts' times have, which array functions over them need.)
}

/**
 * CTEs ending in `reach` with only lead_id and r_captured: the CAPTURED reach time alone, for
 * reports (attribution) that need no other stage. `leads` (a condition on lead_id, e.g.
 * `lead_id IN (SELECT lead_id FROM some_cte)`) restricts it to the leads a report needs.
 */
export function capturedReachCtes(leads?: string): string {
  return `reach AS (
  ${leadStateSql(['assumeNotNull(ifNull(s_captured_at, first_seen_at)) AS r_captured'], leads)}
)`;
}

/** NULL-ignoring minimum of two nullable times. */
const nmin = (a: string, b: string) => `if(isNull(${a}), ${b}, if(isNull(${b}), ${a}, least(${a}, ${b})))`;

/**
 * Per opportunity with an OpportunityCreated: created_at, created_amount (its amount),
 * won_at and won_amount (of the earliest OpportunityWon; NULL when never won, or when the win
 * had no amount), from opportunity_state. `where` restricts the opportunities read.
 */
export function opportunityMilestonesCte(name: string, where?: string): string {
  return `${name} AS (
  SELECT opportunity_id, assumeNotNull(created_at) AS created_at, created_amount, won_at,
         -- migration 004: NaN is a win without an amount; never won leaves the state empty (0)
         if(won_at IS NULL OR isNaN(s_won_amount), NULL, s_won_amount) AS won_amount
  FROM (
    SELECT opportunity_id, min(created_at) AS created_at, argMinMerge(created_amount) AS created_amount,
           min(won_at) AS won_at, argMinMerge(won_amount) AS s_won_amount
    FROM opportunity_state${where ? ` WHERE ${where}` : ''} GROUP BY opportunity_id
  )
  WHERE created_at IS NOT NULL
)`;
}

/**
 * CTEs ending in `reach`: one row per lead with e_* (entry) and r_* (reach) times per stage and
 * `key` for `dimension`. A lead is any id that is the data.leadId of some event; links from
 * OpportunityCreated.leadIds alone do not make a lead. Reads one state row per lead (lead_state)
 * and per opportunity (opportunity_state), plus the links and campaigns, never every event.
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

  const needsCampaign = dimension === 'CHANNEL';
  return `
lead_rows AS (
  -- Renamed one level up: aliases named like state columns would shadow them.
  ${leadStateSql([
    'assumeNotNull(first_seen_at) AS first_at',
    's_captured_at AS e_captured', 's_mql_at AS e_mql', 's_sal_at AS e_sal', 's_sql_at AS e_sql',
    's_capture_campaign_id AS cap_campaign_id', 's_capture_channel AS cap_channel', 's_capture_segment AS cap_segment',
    's_capture_region AS cap_region', 's_capture_product AS cap_product',
    's_first_touch_campaign_id AS ft_campaign_id', 's_first_touch_channel AS ft_channel', 's_owner_id AS owner_id',
  ])}
),
${opportunityMilestonesCte('opp_milestones')},
lead_opps AS (
  -- Links are timeless; only opportunities with an OpportunityCreated count.
  SELECT k.lead_id AS lead_id, min(o.created_at) AS opportunity_at, minOrNull(o.won_at) AS won_at
  FROM (SELECT DISTINCT lead_id, opportunity_id FROM lead_links) AS k
  INNER JOIN opp_milestones AS o ON o.opportunity_id = k.opportunity_id
  GROUP BY k.lead_id
),${needsCampaign ? `
camp AS (SELECT campaign_id, argMax(channel, (occurred_at, event_id)) AS channel FROM campaigns GROUP BY campaign_id),` : ''}
reach AS (
  SELECT ls.lead_id AS lead_id, ls.first_at AS first_at,
         ls.e_captured AS e_captured, ls.e_mql AS e_mql, ls.e_sal AS e_sal, ls.e_sql AS e_sql,
         lo.opportunity_at AS e_opp, lo.won_at AS e_won,
         ${reachSelect.join(',\n         ')},
         ${keySql(dimension)} AS key
  FROM lead_rows AS ls
  LEFT JOIN lead_opps AS lo ON lo.lead_id = ls.lead_id${needsCampaign ? `
  LEFT JOIN camp ON camp.campaign_id = ${leadSourceSql(SOURCE_CAMPAIGN_RULE)}` : ''}
)`;
}

/** Settings every report query runs with: outer joins yield NULL (not type defaults) when unmatched. */
export const REPORT_SETTINGS = 'SETTINGS join_use_nulls = 1';

/** `r_stage - r_anchor <= W days`; always true without a window. */
export function withinWindow(stage: FunnelStage, anchor: FunnelStage, windowDays: number | undefined): string {
  if (windowDays === undefined) return '1';
  return `(${millis(reachCol(stage))} - ${millis(reachCol(anchor))}) <= {windowDays:Int64} * 86400000`;
}
