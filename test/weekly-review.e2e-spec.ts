import { loadConfig } from '@funnel/config';
import {
  activityMovementReport,
  conversionChangeReport,
  reviewSampleReference,
  routingCoverageReport,
  routingLeadIds,
} from '@funnel/reporting';
import { expectClose, generateFunnelEvents, testClient } from '@funnel/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStandalone, type StandaloneApp } from '../apps/standalone/src/standalone.app';

/**
 * The weekly review over the public GraphQL contract, embedded mode: routing coverage, effort vs
 * progress and conversion change equal their references over the posted events; the sample is
 * reproducible; decisions are recorded once, applied, and visible in the reports and the history.
 */
describe('weekly review', () => {
  // Start, 120 leads through both projections and a dozen reports: slow on a shared 2-core machine.
  jest.setTimeout(180_000);
  let app: StandaloneApp;
  const dataDir = mkdtempSync(join(tmpdir(), 'funnel-review-'));
  const { gql, data, postEvents, caughtUp } = testClient(() => app.url);
  const events = generateFunnelEvents({ leads: 120, seed: 11, routing: true, prefix: 'wr' });
  const PERIOD = { from: '2026-01-01T00:00:00.000Z', to: '2026-03-01T00:00:00.000Z' };
  const WEEK_OF = '2026-01-29T00:00:00.000Z';
  const accepted = async () => (await (await fetch(`${app.url}/v1/status`)).json()).accepted as number;

  beforeAll(async () => {
    app = await startStandalone(loadConfig({ PORT: '0', DATA_DIR: dataDir }));
    expect((await postEvents(events)).status).toBe(202);
    await caughtUp(120_000);
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const ROUTING = `key mqls assigned unassigned coverageRate p50MinutesToAssignment p90MinutesToAssignment reassigned inFallbackQueue`;

  it('routingCoverage equals the reference, under the fallback queues of the definition version', async () => {
    const asOf = '2026-02-01T00:00:00.000Z';
    const q = `query($v: Int) { routingCoverage(from: "${PERIOD.from}", to: "${PERIOD.to}", asOf: "${asOf}", breakdown: OWNER, definitionVersion: $v) { ${ROUTING} definitionVersion } }`;
    const v1 = (await data(q)).routingCoverage;
    expectClose(v1.map(({ definitionVersion: _, ...r }: any) => r), routingCoverageReport(events, { ...PERIOD, asOf, fallbackQueues: ['fallback'], breakdown: 'OWNER' }));

    const draft = (await data(`mutation { createFunnelDefinitionDraft(input: { name: "Partners are unrouted too", fallbackQueues: ["fallback", "partners"] }) { id fallbackQueues } }`)).createFunnelDefinitionDraft;
    expect(draft.fallbackQueues).toEqual(['fallback', 'partners']);
    await data(`mutation { signOffFunnelDefinition(draftId: "${draft.id}", team: MARKETING, by: "m") { id } }`);
    await data(`mutation { signOffFunnelDefinition(draftId: "${draft.id}", team: SALES, by: "s") { id } }`);
    expect((await data(`mutation { publishFunnelDefinition(draftId: "${draft.id}") { version fallbackQueues } }`)).publishFunnelDefinition).toEqual({ version: 2, fallbackQueues: ['fallback', 'partners'] });
    const v2 = (await data(q)).routingCoverage;
    expect(v2.every((r: any) => r.definitionVersion === 2)).toBe(true);
    expectClose(v2.map(({ definitionVersion: _, ...r }: any) => r), routingCoverageReport(events, { ...PERIOD, asOf, fallbackQueues: ['fallback', 'partners'], breakdown: 'OWNER' }));
    expect((await data(`{ funnelDefinition(version: 1) { fallbackQueues } }`)).funnelDefinition.fallbackQueues).toEqual(['fallback']);

    const invalid = await gql(`mutation { createFunnelDefinitionDraft(input: { name: "dup", fallbackQueues: ["a", "a"] }) { id } }`);
    expect(invalid.errors[0].extensions).toMatchObject({ code: 'INVALID_DEFINITION' });
  });

  it('pages through the unassigned and fallback-queue lead ids by keyset', async () => {
    for (const list of ['UNASSIGNED', 'IN_FALLBACK_QUEUE'] as const) {
      const ids: string[] = [];
      let after: string | null = null;
      for (;;) {
        const page: any = (await data(
          `query($after: String) { routingCoverageLeads(from: "${PERIOD.from}", to: "${PERIOD.to}", asOf: "2026-02-01T00:00:00Z", list: ${list}, definitionVersion: 1, first: 3, after: $after) {
            totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`,
          { after },
        )).routingCoverageLeads;
        ids.push(...page.edges.map((e: any) => e.node.id));
        if (!page.pageInfo.hasNextPage) {
          expect(page.totalCount).toBe(ids.length);
          break;
        }
        after = page.pageInfo.endCursor;
      }
      expect(ids).toEqual(routingLeadIds(events, { ...PERIOD, asOf: '2026-02-01T00:00:00.000Z', fallbackQueues: ['fallback'], list }));
      expect(ids.length).toBeGreaterThan(0);
    }
  });

  it('activityVsMovement and conversionChange equal their references', async () => {
    const rows = (await data(`{ activityVsMovement(from: "2026-01-10T00:00:00Z", to: "2026-01-31T00:00:00Z") {
      key activities movements leadsWorked leadsMoved leadsWorkedNotMoved activitiesPerMovement } }`)).activityVsMovement;
    expectClose(rows, activityMovementReport(events, { from: '2026-01-10T00:00:00.000Z', to: '2026-01-31T00:00:00.000Z' }));

    const change = (await data(`{ conversionChange(baseFrom: "2026-01-01T00:00:00Z", baseTo: "2026-01-25T00:00:00Z", from: "2026-01-25T00:00:00Z",
      to: "2026-03-01T00:00:00Z", target: SQL, by: CHANNEL) { definitionVersion baseLeads leads baseRate rate change mixEffect rateEffect
      rows { key baseLeads leads baseConverted converted baseShare share baseRate rate mixEffect rateEffect }
      steps { fromStage toStage owner baseRate rate logChange } } }`)).conversionChange;
    const { definitionVersion, ...rest } = change;
    expect(definitionVersion).toBe(2);
    expectClose(rest, conversionChangeReport(events, {
      baseFrom: '2026-01-01T00:00:00.000Z', baseTo: '2026-01-25T00:00:00.000Z', from: '2026-01-25T00:00:00.000Z', to: '2026-03-01T00:00:00.000Z',
      target: 'SQL', anchor: 'CAPTURED', by: 'CHANNEL',
    }));
    expect(rest.mixEffect + rest.rateEffect).toBeCloseTo(rest.change, 12);
  });

  const SAMPLE = `query($seed: Int) { reviewSample(weekOf: "${WEEK_OF}", size: 12, seed: $seed, definitionVersion: 1) { weekOf seed size items { stratum subjectId } } }`;
  let sample: { items: { stratum: string; subjectId: string }[] };

  it('draws the same stratified sample for the same arguments, as the reference does', async () => {
    sample = (await data(SAMPLE, { seed: 5 })).reviewSample;
    expect((await data(SAMPLE, { seed: 5 })).reviewSample).toEqual(sample);
    const expected = reviewSampleReference(events, { weekOf: WEEK_OF, size: 12, seed: 5, speedToLeadMinutes: 1440, stallDays: { default: 21, byStage: {} } });
    expect(sample).toEqual(expected);
    expect(new Set(sample.items.map((i) => i.stratum)).size).toBeGreaterThanOrEqual(3);
    expect((await data(SAMPLE, { seed: 6 })).reviewSample.items).not.toEqual(sample.items);
  });

  it('records decisions once, applies them, and shows them in the reports and the history', async () => {
    const leadItems = sample.items.filter((i) => i.stratum !== 'STALLED');
    const stalled = sample.items.find((i) => i.stratum === 'STALLED');
    expect(stalled).toBeDefined();
    const [eliminated, recycled, advanced] = [...new Set(leadItems.map((i) => i.subjectId))];
    const decide = (subjectId: string, decision: string, note?: string) =>
      gql(`mutation($s: ID!, $d: ReviewDecision!, $n: String) { recordReviewDecision(weekOf: "${WEEK_OF}", subjectId: $s, decision: $d, note: $n) {
        id weekOf subjectId subjectKind decision note decidedBy decidedAt appliedEventId } }`, { s: subjectId, d: decision, n: note });

    const before = await accepted();
    const first = (await decide(eliminated, 'ELIMINATE', 'no budget')).data.recordReviewDecision;
    expect(first).toMatchObject({ weekOf: WEEK_OF, subjectId: eliminated, subjectKind: 'lead', decision: 'ELIMINATE', note: 'no budget', decidedBy: 'local' });
    expect(first.appliedEventId).toBe(`${first.id}:applied`);
    expect(await accepted()).toBe(before + 2);
    // A retry (even with another note) is the same decision: nothing is added.
    expect((await decide(eliminated, 'ELIMINATE', 'retry')).data.recordReviewDecision).toEqual(first);
    expect(await accepted()).toBe(before + 2);

    const lost = (await decide(stalled!.subjectId, 'ELIMINATE')).data.recordReviewDecision;
    expect(lost).toMatchObject({ subjectKind: 'opportunity' });
    expect((await decide(recycled, 'RECYCLE')).data.recordReviewDecision.appliedEventId).not.toBeNull();
    expect((await decide(advanced, 'ADVANCE')).data.recordReviewDecision.appliedEventId).toBeNull();
    expect(await accepted()).toBe(before + 7);
    expect((await decide(stalled!.subjectId, 'RECYCLE')).errors[0].extensions.code).toBe('INVALID_REVIEW_DECISION');
    expect((await decide('no-such-subject', 'ADVANCE')).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    await caughtUp();

    const looked = await data(`{ lead(id: "${eliminated}") { disposition } opportunity(id: "${stalled!.subjectId}") { status lostReason } }`);
    expect(looked).toEqual({ lead: { disposition: 'other' }, opportunity: { status: 'lost', lostReason: 'review_eliminated' } });
    // The eliminated deal no longer stalls; the eliminated lead is no longer open.
    const later = new Date(Date.now() + 86_400_000).toISOString();
    const stalledIds = (await data(`{ stalledOpportunities(asOf: "${later}", first: 500) { edges { node { id } } } }`)).stalledOpportunities.edges.map((e: any) => e.node.id);
    expect(stalledIds).not.toContain(stalled!.subjectId);
    const open = (await data(`{ leads(filter: { status: "open" }, first: 500) { edges { node { id } } } }`)).leads.edges.map((e: any) => e.node.id);
    expect(open).not.toContain(eliminated);

    const history = (await data(`{ reviewHistory(from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z") { weekOf
      decisions { id subjectId decision decidedBy appliedEventId since { id type data } } } }`)).reviewHistory;
    expect(history.map((m: any) => m.weekOf)).toEqual([WEEK_OF]);
    const [meeting] = history;
    expect(meeting.decisions.map((d: any) => [d.subjectId, d.decision])).toEqual([
      [eliminated, 'ELIMINATE'], [stalled!.subjectId, 'ELIMINATE'], [recycled, 'RECYCLE'], [advanced, 'ADVANCE'],
    ]);
    const since = meeting.decisions[0].since;
    expect(since.map((e: any) => [e.id, e.type])).toContainEqual([first.appliedEventId, 'LeadDispositioned']);
    expect(JSON.parse(since.find((e: any) => e.id === first.appliedEventId).data)).toMatchObject({ disposition: 'other', note: 'review_eliminated' });
    expect(meeting.decisions[1].since.map((e: any) => e.type)).toEqual(['OpportunityLost']);
    expect(meeting.decisions[3].since).toEqual([]);
    // The decision sits in the subject's own history too.
    const leadHistory = (await data(`{ lead(id: "${eliminated}") { history { type } } }`)).lead.history.map((e: any) => e.type);
    expect(leadHistory).toContain('ReviewDecisionRecorded');
  });

  it('refuses review decisions sent to ingest from outside', async () => {
    const res = await postEvents([{ id: 'fake-review', type: 'ReviewDecisionRecorded', occurredAt: '2026-01-29T00:00:00Z',
      data: { weekOf: WEEK_OF, subjectId: 'wr-L1', subjectKind: 'lead', decision: 'ELIMINATE', by: 'mallory' } }]);
    expect(res.status).toBe(422);
  });
});
