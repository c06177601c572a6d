import { sample, timed, type ScenarioResult, TARGETS } from '../common';
import { END_MS } from '../generate';
import type { ReportData } from './report-data';

/**
 * The GraphQL queries one dashboard load sends (apps/reporting-api/src/dashboard/public/dashboard.js:
 * the catalog, then every panel at once), for its default view (the last 12 months, model
 * W_SHAPED, target WON). Keep these in step with the page.
 */
const FUNNEL_STAGE_FIELDS = 'stage entered reached skipped conversionFromPrevious conversionFromAnchor';
const COHORT_FIELDS = 'cohort size converted rate maturity';
const COHORT_ARGS = 'from: $from, to: $to, grain: MONTH, target: $target, asOf: $asOf, definitionVersion: $v';
const CATALOG = 'query DashboardCatalog { funnelDefinitions { version name publishedAt } campaigns { id name } }';
const PANELS: Record<string, string> = {
  funnel: `query DashboardFunnel($from: DateTime!, $to: DateTime!, $breakdown: Dimension, $v: Int) {
    funnel(from: $from, to: $to, breakdown: $breakdown, definitionVersion: $v) { definitionVersion groups { key stages { ${FUNNEL_STAGE_FIELDS} } } } }`,
  campaigns: `query DashboardCampaigns($from: DateTime!, $to: DateTime!, $model: AttributionModel, $v: Int) {
    campaignPerformance(from: $from, to: $to, model: $model, definitionVersion: $v) {
      campaignId name channel cost leads mqls sqls opportunities attributedPipeline wonDeals attributedRevenue costPerLead costPerWonDeal roas } }`,
  cohorts: `query DashboardCohorts($from: DateTime!, $to: DateTime!, $asOf: DateTime, $target: FunnelStage!, $v: Int) {
    ${[30, 90, 180].map((w) => `w${w}: cohorts(${COHORT_ARGS}, windowDays: ${w}) { ${COHORT_FIELDS} }`).join('\n')}
    all: cohorts(${COHORT_ARGS}) { ${COHORT_FIELDS} } }`,
  sla: `query DashboardSla($from: DateTime!, $to: DateTime!, $asOf: DateTime!, $v: Int) {
    slaCompliance(from: $from, to: $to, asOf: $asOf, breakdown: OWNER, definitionVersion: $v) {
      key met breached pending complianceRate neverFollowedUp p50MinutesToFirstActivity speedToLeadMinutes } }`,
  reconciliation: `query DashboardReconciliation($from: DateTime!, $to: DateTime!, $v: Int) {
    reconciliation(from: $from, to: $to, breakdown: CAMPAIGN, definitionVersion: $v) {
      key mqls won lost opportunityOpen qualifiedNoOpportunity rejected acceptedNotQualified neverAccepted } }`,
  stalled: `query DashboardStalled($asOf: DateTime!, $first: Int, $after: String, $v: Int) {
    stalledOpportunities(asOf: $asOf, first: $first, after: $after, definitionVersion: $v) {
      totalCount edges { node { id stage amount ownerId daysInStage reasons } } pageInfo { hasNextPage endCursor } } }`,
};

/** The page's variables for the period [from, to) (asOf = to), its default model and target. */
export function dashboardVariables(from: string, to: string): Record<string, unknown> {
  return { from, to, asOf: to, v: null, breakdown: null, model: 'W_SHAPED', target: 'WON', first: 15, after: null };
}

/** The default view on the generated history: its last 12 months. */
export const GENERATED_VIEW = dashboardVariables(new Date(END_MS - 365 * 86_400_000).toISOString(), new Date(END_MS).toISOString());

async function gql(url: string, query: string, variables: Record<string, unknown>): Promise<number> {
  const { ms, result } = await timed(async () => {
    const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    return (await res.json()) as { errors?: unknown[] };
  });
  if (result.errors) throw new Error(`dashboard query failed: ${JSON.stringify(result.errors).slice(0, 500)}`);
  return ms;
}

/** Time of one dashboard load (catalog, then the panels in parallel) on the generated history. Target < 1 s. */
export function dashboardScenario(data: ReportData, runs: number): Promise<ScenarioResult> {
  return dashboardLoads(data.app.url, GENERATED_VIEW, runs, 'dashboard');
}

/** `runs` dashboard loads of the view `variables` on the server at `url`, after a warm-up. */
export async function dashboardLoads(url: string, variables: Record<string, unknown>, runs: number, name: 'dashboard' | 'dashboard_olist'): Promise<ScenarioResult> {
  const perQuery: Record<string, number[]> = {};
  const load = async () => {
    (perQuery.catalog ??= []).push(await gql(url, CATALOG, variables));
    await Promise.all(Object.entries(PANELS).map(async ([panel, query]) => (perQuery[panel] ??= []).push(await gql(url, query, variables))));
  };
  const loads = await sample(runs, load);
  const slowest = Object.fromEntries(Object.entries(perQuery).map(([panel, ms]) => [panel, Math.max(...ms.slice(1))]));
  return {
    value: loads.p50,
    unit: 'ms (p50 per load)',
    reference: null,
    ratio: null,
    target: TARGETS[name],
    pass: loads.p50 < 1000,
    p95: loads.p95,
    slowestPerQueryMs: slowest,
    runsMs: loads.runsMs,
  };
}
