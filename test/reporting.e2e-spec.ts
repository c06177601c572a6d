import { loadConfig } from '@funnel/config';
import {
  attributionReport,
  cohortReport,
  funnelReport,
  pipelineVelocity,
  reconciliationReport,
  slaReport,
  stalledOpportunities,
  velocityReport,
} from '@funnel/reporting';
import { expectClose, generateFunnelEvents, testClient } from '@funnel/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStandalone, type StandaloneApp } from '../apps/standalone/src/standalone.app';

/** Every DESIGN §5 query over HTTP against the embedded server, checked against the reference. */
describe('reporting GraphQL API on the embedded server', () => {
  let app: StandaloneApp;
  const dataDir = mkdtempSync(join(tmpdir(), 'funnel-gql-'));
  const events = generateFunnelEvents({ leads: 150, seed: 42 });
  const from = '2026-01-01T00:00:00.000Z';
  const to = '2026-03-01T00:00:00.000Z';
  const asOf = '2026-02-15T00:00:00.000Z';

  const { gql, data, postEvents, caughtUp } = testClient(() => app.url);

  beforeAll(async () => {
    app = await startStandalone(loadConfig({ SLA_CHECK_SECONDS: '0', PORT: '0', DATA_DIR: dataDir }));
    expect((await postEvents(events)).status).toBe(202);
    await caughtUp();
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('funnel', async () => {
    const d = await data(
      `query($from: DateTime!, $to: DateTime!) { funnel(from: $from, to: $to, anchor: MQL, windowDays: 30, breakdown: CHANNEL) {
        definitionVersion groups { key stages { stage entered reached skipped conversionFromPrevious conversionFromAnchor } } } }`,
      { from, to },
    );
    expect(d.funnel.definitionVersion).toBe(1);
    expectClose(d.funnel.groups, funnelReport(events, { from, to, anchor: 'MQL', windowDays: 30, breakdown: 'CHANNEL' }));
  });

  it('cohorts', async () => {
    const d = await data(
      `query($from: DateTime!, $to: DateTime!, $asOf: DateTime) { cohorts(from: $from, to: $to, grain: WEEK, target: SQL, windowDays: 14, asOf: $asOf) {
        cohort size converted rate maturity } }`,
      { from, to, asOf },
    );
    expectClose(d.cohorts, cohortReport(events, { from, to, grain: 'WEEK', target: 'SQL', windowDays: 14, asOf }));
  });

  it('velocity', async () => {
    const d = await data(
      `query($from: DateTime!, $to: DateTime!) { velocity(from: $from, to: $to, fromStage: MQL, toStage: OPPORTUNITY, breakdown: OWNER) {
        key count meanDays p50Days p90Days } }`,
      { from, to },
    );
    expectClose(d.velocity, velocityReport(events, { from, to, fromStage: 'MQL', toStage: 'OPPORTUNITY', breakdown: 'OWNER' }));
  });

  it('attribution, with the lookback and half-life of definition version 1 by default', async () => {
    const d = await data(
      `query($from: DateTime!, $to: DateTime!) { attribution(from: $from, to: $to, model: TIME_DECAY, milestone: OPPORTUNITY_CREATED, by: CHANNEL) {
        conversions totalValue rows { key credit value } lookbackDays halfLifeDays } }`,
      { from, to },
    );
    const expected = attributionReport(events, { from, to, model: 'TIME_DECAY', milestone: 'OPPORTUNITY_CREATED', by: 'CHANNEL', lookbackDays: 365, halfLifeDays: 7 });
    expect(d.attribution.conversions).toBe(expected.conversions);
    expect(d.attribution.totalValue).toBeCloseTo(expected.totalValue, 6);
    expect(d.attribution.rows.map((r: any) => r.key)).toEqual(expected.rows.map((r) => r.key));
    d.attribution.rows.forEach((r: any, i: number) => expect(r.credit).toBeCloseTo(expected.rows[i].credit, 9));
    expect([d.attribution.lookbackDays, d.attribution.halfLifeDays]).toEqual([365, 7]);
  });

  it('slaCompliance uses the definition speed to lead (1440 minutes)', async () => {
    const d = await data(
      `query($from: DateTime!, $to: DateTime!, $asOf: DateTime!) { slaCompliance(from: $from, to: $to, asOf: $asOf, breakdown: OWNER) {
        key met breached pending complianceRate neverFollowedUp p50MinutesToFirstActivity } }`,
      { from, to, asOf },
    );
    expectClose(d.slaCompliance, slaReport(events, { from, to, asOf, speedToLeadMinutes: 1440, breakdown: 'OWNER' }));
  });

  it('stalledOpportunities pages with cursors through the whole list', async () => {
    const expected = stalledOpportunities(events, { asOf, stallDays: { default: 21, byStage: {} } });
    expect(expected.length).toBeGreaterThan(3);
    const q = `query($asOf: DateTime!, $after: String) { stalledOpportunities(asOf: $asOf, first: 3, after: $after) {
      totalCount edges { cursor node { id stage amount ownerId daysInStage reasons } } pageInfo { hasNextPage endCursor } } }`;
    const seen: unknown[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = (await data(q, { asOf, after })).stalledOpportunities;
      expect(page.totalCount).toBe(expected.length);
      seen.push(...page.edges.map((e: any) => e.node));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
  });

  it('reconciliation with the lead ids behind each bucket', async () => {
    const d = await data(
      `query($from: DateTime!, $to: DateTime!) { reconciliation(from: $from, to: $to) {
        key mqls won lost opportunityOpen qualifiedNoOpportunity rejected acceptedNotQualified neverAccepted
        leadIds { won lost opportunityOpen qualifiedNoOpportunity rejected acceptedNotQualified neverAccepted } } }`,
      { from, to },
    );
    const [expected] = reconciliationReport(events, { from, to });
    const [row] = d.reconciliation;
    expect(row.mqls).toBe(expected.mqls);
    expect(row.won + row.lost + row.opportunityOpen + row.qualifiedNoOpportunity + row.rejected + row.acceptedNotQualified + row.neverAccepted).toBe(row.mqls);
    expect(row.leadIds.won).toEqual(expected.leadIds.WON);
    expect(row.leadIds.neverAccepted).toEqual(expected.leadIds.NEVER_ACCEPTED);
  });

  it('pipelineVelocity', async () => {
    const d = await data(`query($asOf: DateTime!) { pipelineVelocity(asOf: $asOf, trailingDays: 90) {
      openOpportunities winRate avgWonAmount avgCycleDays velocityPerDay } }`, { asOf });
    const expected = pipelineVelocity(events, { asOf, trailingDays: 90 });
    expect(d.pipelineVelocity.openOpportunities).toBe(expected.openOpportunities);
    expect(d.pipelineVelocity.velocityPerDay).toBeCloseTo(expected.velocityPerDay as number, 6);
  });

  it('campaign performance, lead quality, score calibration and lookups answer', async () => {
    const d = await data(
      `query($from: DateTime!, $to: DateTime!) {
        campaignPerformance(from: $from, to: $to, model: LINEAR) { campaignId cost leads opportunities roas }
        leadQualityVsHandling(from: $from, to: $to) { metCount breachedCount metSqlRate breachedSqlRate }
        scoreCalibration(from: $from, to: $to) { band leads sqlRate sqlRateLow sqlRateHigh }
        campaigns { id name totalCost history { type } }
        lead(id: "g-L1") { id stageEntries { stage enteredAt } history { id type occurredAt data } }
      }`,
      { from, to },
    );
    expect(d.campaignPerformance.length).toBe(5);
    expect(d.scoreCalibration.map((b: any) => b.band).slice(0, 5)).toEqual(['0-19', '20-39', '40-59', '60-79', '80-100']);
    expect(d.campaigns[0].history.map((h: any) => h.type)).toEqual(['CampaignLaunched', 'CampaignCostRecorded']);
    expect(d.lead.history.length).toBe(events.filter((e) => (e.data as { leadId?: string }).leadId === 'g-L1').length);
    expect(d.leadQualityVsHandling).toHaveLength(1);
  });

  it('bad arguments get coded errors naming the argument, never a 500', async () => {
    const inverted = await gql(`{ funnel(from: "2026-02-01T00:00:00Z", to: "2026-01-01T00:00:00Z") { definitionVersion } }`);
    expect(inverted.errors[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument: 'to' } });
    const unknownVersion = await gql(`{ funnel(from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z", definitionVersion: 9) { definitionVersion } }`);
    expect(unknownVersion.errors[0].extensions.code).toBe('DEFINITION_NOT_FOUND');
    const pageTooBig = await gql(`{ stalledOpportunities(asOf: "2026-01-01T00:00:00Z", first: 10000) { totalCount } }`);
    expect(pageTooBig.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
    const badEnum = await gql(`{ funnel(from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z", anchor: LOST) { definitionVersion } }`);
    expect(badEnum.errors[0].message).toContain('LOST');
    const tooComplex = await gql(`{ ${Array.from({ length: 120 }, (_, i) => `f${i}: funnel(from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z") { groups { key stages { stage entered reached } } }`).join(' ')} }`);
    expect(tooComplex.errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
  });
});
