/**
 * The ClickHouse fact tables, as the migrations in libs/facts/migrations create them. A new
 * table is a new migration file plus its name here (the projection's reset and the tests'
 * dumps go through this list; a test checks it against the tables the migrations create).
 */
export const FACT_TABLES = [
  'lead_captures',
  'touches',
  'lead_stage_entries',
  'lead_scores',
  'lead_qualifications',
  'lead_assignments',
  'lead_activities',
  'lead_dispositions',
  'lead_links',
  'opportunity_events',
  'campaigns',
  'campaign_costs',
] as const;
export type FactTable = (typeof FACT_TABLES)[number];

/**
 * Per-subject state that materialized views keep from the facts on every insert (migration
 * 002): AggregatingMergeTree, one row per subject after merges, read only through
 * libs/reporting lead-reach.sql.ts. Never written directly; emptied with the facts.
 */
export const STATE_TABLES = ['lead_state', 'opportunity_state'] as const;
export type StateTable = (typeof STATE_TABLES)[number];

/**
 * Where the events of a lead (DESIGN §4: those whose data.leadId is the lead) sit among the
 * facts: each table with the condition that keeps only rows that are such an event. A capture's
 * own touch row and OpportunityCreated's link rows are not events of the lead.
 */
export const LEAD_EVENT_FACTS: readonly { readonly table: FactTable; readonly where?: string }[] = [
  { table: 'lead_captures' },
  { table: 'touches', where: 'from_capture = 0' },
  { table: 'lead_stage_entries' },
  { table: 'lead_scores' },
  { table: 'lead_qualifications' },
  { table: 'lead_assignments' },
  { table: 'lead_activities' },
  { table: 'lead_dispositions' },
  { table: 'lead_links', where: "via = 'converted'" },
];
