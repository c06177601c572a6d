import { loadConfig } from '@funnel/config';
import { slaReport, stalledOpportunities } from '@funnel/reporting';
import { expectClose, generateFunnelEvents, testClient } from '@funnel/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStandalone, type StandaloneApp } from '../apps/standalone/src/standalone.app';

/** The funnel definition as a signed, versioned single source of truth, over GraphQL. */
describe('funnel definitions', () => {
  let app: StandaloneApp;
  const dataDir = mkdtempSync(join(tmpdir(), 'funnel-defs-'));

  const { gql, data, postEvents, caughtUp } = testClient(() => app.url);

  async function post(events: object[]) {
    expect((await postEvents(events)).status).toBe(202);
    await caughtUp();
  }

  const DRAFT = `id name status publishedVersion missingSignOffs signOffs { team by at } mqlMinScore sqlMaxTimelineDays
    speedToLeadMinutes stallDaysDefault stallDays { stage days } attributionLookbackDays attributionHalfLifeDays dispositions
    sqlRequireBudget sqlRequireAuthority sqlRequireNeed`;
  const create = (input: object) => data(`mutation($input: FunnelDefinitionInput!) { createFunnelDefinitionDraft(input: $input) { ${DRAFT} } }`, { input });
  const signOff = (draftId: string, team: string, by: string) =>
    gql(`mutation($d: ID!, $t: Team!, $by: String!) { signOffFunnelDefinition(draftId: $d, team: $t, by: $by) { ${DRAFT} } }`, { d: draftId, t: team, by });
  const publish = (draftId: string) =>
    gql(`mutation($d: ID!) { publishFunnelDefinition(draftId: $d) { version name publishedAt signOffs { team by } mqlMinScore speedToLeadMinutes stallDays { stage days } } }`, { d: draftId });

  beforeAll(async () => {
    app = await startStandalone(loadConfig({ SLA_CHECK_SECONDS: '0', PORT: '0', DATA_DIR: dataDir }));
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('has version 1 with the DESIGN defaults on first start', async () => {
    const d = await data(`{ funnelDefinitions { version mqlMinScore sqlMaxTimelineDays speedToLeadMinutes stallDaysDefault attributionLookbackDays attributionHalfLifeDays dispositions } }`);
    expect(d.funnelDefinitions).toEqual([{
      version: 1, mqlMinScore: 60, sqlMaxTimelineDays: 90, speedToLeadMinutes: 1440, stallDaysDefault: 21,
      attributionLookbackDays: 365, attributionHalfLifeDays: 7,
      dispositions: ['no_fit', 'no_timing', 'no_contact', 'competitor', 'duplicate', 'other'],
    }]);
  });

  let v2Draft: string;
  it('publishes only with one MARKETING and one SALES sign-off, as the next version', async () => {
    const { createFunnelDefinitionDraft: draft } = await create({
      name: 'Stricter MQL, faster follow-up', mqlMinScore: 70, sqlMaxTimelineDays: 120, speedToLeadMinutes: 60,
      stallDays: [{ stage: 'proposal', days: 3 }],
    });
    v2Draft = draft.id;
    // Omitted fields come from the latest published version.
    expect(draft).toMatchObject({ status: 'DRAFT', stallDaysDefault: 21, attributionLookbackDays: 365, sqlRequireBudget: true, missingSignOffs: ['MARKETING', 'SALES'] });

    expect((await publish(draft.id)).errors[0]).toMatchObject({ extensions: { code: 'MISSING_SIGN_OFF' }, message: expect.stringContaining('MARKETING and SALES') });
    const signed = await signOff(draft.id, 'MARKETING', 'maria@marketing');
    expect(signed.data.signOffFunnelDefinition.missingSignOffs).toEqual(['SALES']);
    expect((await signOff(draft.id, 'MARKETING', 'mark@marketing')).errors[0]).toMatchObject({
      extensions: { code: 'ALREADY_SIGNED' }, message: expect.stringContaining('maria@marketing'),
    });
    expect((await publish(draft.id)).errors[0].message).toContain('SALES');
    await signOff(draft.id, 'SALES', 'sam@sales');

    const published = (await publish(draft.id)).data.publishFunnelDefinition;
    expect(published).toMatchObject({ version: 2, name: 'Stricter MQL, faster follow-up', mqlMinScore: 70, speedToLeadMinutes: 60 });
    expect(published.signOffs.map((s: any) => s.team).sort()).toEqual(['MARKETING', 'SALES']);
    expect((await data(`{ funnelDefinition { version } }`)).funnelDefinition.version).toBe(2);
  });

  it('keeps published versions immutable and names the broken rule', async () => {
    expect((await publish(v2Draft)).errors[0].extensions.code).toBe('DEFINITION_IMMUTABLE');
    const update = await gql(`mutation($d: ID!) { updateFunnelDefinitionDraft(draftId: $d, input: { name: "x", mqlMinScore: 10 }) { id } }`, { d: v2Draft });
    expect(update.errors[0].extensions.code).toBe('DEFINITION_IMMUTABLE');
    expect((await data(`{ funnelDefinition(version: 2) { mqlMinScore } }`)).funnelDefinition.mqlMinScore).toBe(70);

    const bad = await gql(`mutation { createFunnelDefinitionDraft(input: { name: "bad", mqlMinScore: 150 }) { id } }`);
    expect(bad.errors[0]).toMatchObject({ extensions: { code: 'INVALID_DEFINITION', field: 'mqlMinScore' } });
    const negative = await gql(`mutation { createFunnelDefinitionDraft(input: { name: "bad", stallDays: [{ stage: "proposal", days: -1 }] }) { id } }`);
    expect(negative.errors[0].extensions).toMatchObject({ code: 'INVALID_DEFINITION', field: 'stallDays[0].days' });
  });

  it('withdraws sign-offs when a draft is edited, and discards drafts', async () => {
    const { createFunnelDefinitionDraft: draft } = await create({ name: 'Proposal' });
    expect(draft.mqlMinScore).toBe(70); // from the latest published version, 2
    await signOff(draft.id, 'SALES', 'sam@sales');
    const edited = await data(`mutation($d: ID!) { updateFunnelDefinitionDraft(draftId: $d, input: { name: "Proposal b", mqlMinScore: 65 }) { ${DRAFT} } }`, { d: draft.id });
    expect(edited.updateFunnelDefinitionDraft).toMatchObject({ name: 'Proposal b', mqlMinScore: 65, signOffs: [] });
    const discarded = await data(`mutation($d: ID!) { discardFunnelDefinitionDraft(draftId: $d) { status } }`, { d: draft.id });
    expect(discarded.discardFunnelDefinitionDraft.status).toBe('DISCARDED');
    expect((await signOff(draft.id, 'SALES', 'sam@sales')).errors[0].extensions.code).toBe('DRAFT_DISCARDED');
  });

  it('reports honour the version: SLA minutes and stall days differ exactly as the definitions do', async () => {
    const events = generateFunnelEvents({ leads: 120, seed: 9, prefix: 'v' });
    await post(events);
    const from = '2026-01-01T00:00:00.000Z';
    const to = '2026-03-01T00:00:00.000Z';
    const asOf = '2026-02-15T00:00:00.000Z';
    const sla = (v: number) => data(`query($v: Int) { slaCompliance(from: "${from}", to: "${to}", asOf: "${asOf}", definitionVersion: $v) {
      key met breached pending complianceRate neverFollowedUp p50MinutesToFirstActivity definitionVersion speedToLeadMinutes } }`, { v });
    const [s1, s2] = [(await sla(1)).slaCompliance[0], (await sla(2)).slaCompliance[0]];
    expect([s1.speedToLeadMinutes, s2.speedToLeadMinutes]).toEqual([1440, 60]);
    const strip = ({ definitionVersion: _v, speedToLeadMinutes: _m, ...r }: any) => r;
    expectClose(strip(s1), slaReport(events, { from, to, asOf, speedToLeadMinutes: 1440 })[0]);
    expectClose(strip(s2), slaReport(events, { from, to, asOf, speedToLeadMinutes: 60 })[0]);
    expect(s2.met).toBeLessThan(s1.met);
    // The clock itself does not depend on the definition.
    expect(s2.p50MinutesToFirstActivity).toBe(s1.p50MinutesToFirstActivity);

    const stalled = (v: number) => data(`query($v: Int) { stalledOpportunities(asOf: "${asOf}", first: 500, definitionVersion: $v) {
      totalCount edges { node { id reasons } } } }`, { v });
    const [t1, t2] = [(await stalled(1)).stalledOpportunities, (await stalled(2)).stalledOpportunities];
    expect(t1.totalCount).toBe(stalledOpportunities(events, { asOf, stallDays: { default: 21, byStage: {} } }).length);
    expect(t2.totalCount).toBe(stalledOpportunities(events, { asOf, stallDays: { default: 21, byStage: { proposal: 3 } } }).length);
    // Same list of open deals; proposals now stall after 3 days instead of 21.
    const stalledInStage = (t: any) => t.edges.filter((e: any) => e.node.reasons.includes('STALLED_IN_STAGE')).length;
    expect(stalledInStage(t2)).toBeGreaterThan(stalledInStage(t1));
  });

  it('definitionCompliance names the missing criterion and compareDefinitions shows who changes class and why', async () => {
    const at = (day: number) => `2026-05-${String(day).padStart(2, '0')}T10:00:00Z`;
    let n = 0;
    const ev = (type: string, day: number, data: object) => ({ id: `c-${++n}`, type, occurredAt: at(day), data });
    await post([
      // Scored 65: an MQL under version 1 (60), under the threshold of version 2 (70).
      ev('LeadCaptured', 1, { leadId: 'C1' }), ev('LeadScored', 1, { leadId: 'C1', score: 65 }), ev('LeadStageChanged', 2, { leadId: 'C1', stage: 'MQL' }),
      // Scored 90, made SQL without authority and with a 100-day timeline.
      ev('LeadCaptured', 1, { leadId: 'C2' }), ev('LeadScored', 1, { leadId: 'C2', score: 90 }), ev('LeadStageChanged', 2, { leadId: 'C2', stage: 'MQL' }),
      ev('LeadQualificationUpdated', 3, { leadId: 'C2', budget: true, authority: false, need: true, timelineDays: 100 }),
      ev('LeadStageChanged', 4, { leadId: 'C2', stage: 'SQL' }),
      // Full BANT with a 100-day timeline: SQL only under version 2 (max 120 instead of 90).
      ev('LeadCaptured', 1, { leadId: 'C3' }), ev('LeadScored', 1, { leadId: 'C3', score: 80 }),
      ev('LeadQualificationUpdated', 3, { leadId: 'C3', budget: true, authority: true, need: true, timelineDays: 100 }),
      // Never scored, made MQL anyway.
      ev('LeadCaptured', 1, { leadId: 'C4' }), ev('LeadStageChanged', 2, { leadId: 'C4', stage: 'MQL' }),
    ]);
    const period = `from: "2026-05-01T00:00:00Z", to: "2026-06-01T00:00:00Z"`;
    const compliance = async (v: number) => (await data(`{ definitionCompliance(${period}, definitionVersion: ${v}) {
      stage entries compliant nonCompliant missing { criterion count leadIds } nonCompliantLeadIds } }`)).definitionCompliance;
    const [mql1, , sql1] = await compliance(1);
    expect(mql1).toEqual({ stage: 'MQL', entries: 3, compliant: 2, nonCompliant: 1, missing: [{ criterion: 'NO_SCORE', count: 1, leadIds: ['C4'] }], nonCompliantLeadIds: ['C4'] });
    expect(sql1.missing).toEqual([
      { criterion: 'NO_AUTHORITY', count: 1, leadIds: ['C2'] },
      { criterion: 'TIMELINE_TOO_LONG', count: 1, leadIds: ['C2'] },
    ]);
    const [mql2, , sql2] = await compliance(2);
    expect(mql2.missing).toEqual([
      { criterion: 'NO_SCORE', count: 1, leadIds: ['C4'] },
      { criterion: 'SCORE_BELOW_MIN', count: 1, leadIds: ['C1'] },
    ]);
    expect(sql2.missing).toEqual([{ criterion: 'NO_AUTHORITY', count: 1, leadIds: ['C2'] }]);

    const cmp = (await data(`{ compareDefinitions(a: 1, b: 2, ${period}) { a b leads stages { stage supportedUnderA supportedUnderB } changes { leadId stageUnderA stageUnderB reasons } } }`)).compareDefinitions;
    expect(cmp.leads).toBe(4);
    expect(cmp.stages).toEqual([
      { stage: 'CAPTURED', supportedUnderA: 4, supportedUnderB: 4 },
      { stage: 'MQL', supportedUnderA: 3, supportedUnderB: 2 },
      { stage: 'SAL', supportedUnderA: 0, supportedUnderB: 1 },
      { stage: 'SQL', supportedUnderA: 0, supportedUnderB: 1 },
    ]);
    // A proposal is judged on history before anyone signs it.
    const { createFunnelDefinitionDraft: proposal } = await create({ name: 'Looser MQL', mqlMinScore: 50 });
    const draftCmp = (await data(`{ compareDefinitionDraft(draftId: "${proposal.id}", against: 2, ${period}) { a b bDraftId changes { leadId stageUnderB reasons } } }`)).compareDefinitionDraft;
    expect(draftCmp).toMatchObject({ a: 2, b: null, bDraftId: proposal.id });
    expect(draftCmp.changes).toEqual([{ leadId: 'C1', stageUnderB: 'MQL', reasons: ['version 2: score 65 < mqlMinScore 70; met under draft ' + proposal.id] }]);
    expect(cmp.changes).toEqual([
      { leadId: 'C1', stageUnderA: 'MQL', stageUnderB: 'CAPTURED', reasons: ['version 2: score 65 < mqlMinScore 70; met under version 1'] },
      { leadId: 'C3', stageUnderA: 'MQL', stageUnderB: 'SQL', reasons: ['version 1: timelineDays 100 > sqlMaxTimelineDays 90; met under version 2'] },
    ]);
  });
});
