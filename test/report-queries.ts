/**
 * One GraphQL query per report family over a period, for suites that compare two servers'
 * answers on the same events (distributed parity, the fault suite).
 */
export function reportQueries(p: { from: string; to: string; asOf: string; leadId: string }): string[] {
  const { from, to, asOf, leadId } = p;
  return [
    `{ funnel(from: "${from}", to: "${to}", anchor: MQL, windowDays: 30, breakdown: CHANNEL) {
        definitionVersion groups { key stages { stage entered reached skipped conversionFromPrevious conversionFromAnchor } } } }`,
    `{ cohorts(from: "${from}", to: "${to}", grain: WEEK, target: SQL, windowDays: 14, asOf: "${asOf}") { cohort size converted rate maturity } }`,
    `{ attribution(from: "${from}", to: "${to}", model: TIME_DECAY, milestone: OPPORTUNITY_CREATED, by: CHANNEL) {
        conversions totalValue rows { key credit value } } }`,
    `{ campaignPerformance(from: "${from}", to: "${to}", model: LINEAR) { campaignId cost leads opportunities roas } }`,
    `{ reconciliation(from: "${from}", to: "${to}") { key mqls won lost opportunityOpen neverAccepted } }`,
    `{ stalledOpportunities(asOf: "${asOf}", first: 50) { totalCount edges { node { id stage amount daysInStage reasons } } } }`,
    `{ lead(id: "${leadId}") { id stageEntries { stage enteredAt } history { id type occurredAt } } }`,
  ];
}
