import { repoRoot } from '@funnel/clickhouse';
import { loadConfig } from '@funnel/config';
import { parseCsv, testClient } from '@funnel/testing';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runImport, type RunImportOptions } from '../apps/cli/src/import/run-import';
import { startStandalone, type StandaloneApp } from '../apps/standalone/src/standalone.app';

/**
 * The shipped HubSpot and Salesforce mappings over their small fixtures (examples/), imported
 * into an embedded server: HubSpot over POST /v1/import (JSON and multipart), Salesforce with
 * the CLI's runImport. Expected figures are counted here from the CSVs, or (zones, attribution)
 * worked out by hand from the fixtures, never read from the product.
 */
const EXAMPLES = join(repoRoot(), 'examples');
const csv = (path: string) => parseCsv(readFileSync(join(EXAMPLES, path), 'utf8'));
const text = (path: string) => readFileSync(join(EXAMPLES, path), 'utf8');
// The HubSpot fixture lies in 2024 and the Salesforce one in 2025, so each report sees one CRM.
const HUBSPOT = 'from: "2024-01-01T00:00:00Z", to: "2025-01-01T00:00:00Z"';
const SALESFORCE = 'from: "2025-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z"';
const STAGES = ['CAPTURED', 'MQL', 'SAL', 'SQL', 'OPPORTUNITY', 'WON'];

function count<T>(items: readonly T[], key: (t: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of items) m.set(key(t), (m.get(key(t)) ?? 0) + 1);
  return m;
}

/** Entered counts per breakdown key and stage, from the funnel report. */
function enteredByKey(funnel: any): Record<string, Record<string, number>> {
  return Object.fromEntries(funnel.groups.map((g: any) => [g.key, Object.fromEntries(g.stages.map((s: any) => [s.stage, s.entered]))]));
}

describe('CRM imports through the embedded server', () => {
  let app: StandaloneApp;
  const dataDir = mkdtempSync(join(tmpdir(), 'funnel-crm-import-'));
  const work = mkdtempSync(join(tmpdir(), 'funnel-crm-files-'));
  const client = testClient(() => app.url);
  const cli = (options: Omit<RunImportOptions, 'url' | 'out' | 'progressStream'>) => {
    const out = new PassThrough();
    let printed = '';
    out.on('data', (c: Buffer) => (printed += c.toString()));
    return runImport({ url: app.url, out, progressStream: new PassThrough() as never, ...options }).then((summary) => ({ summary, printed }));
  };

  beforeAll(async () => {
    app = await startStandalone(loadConfig({ SLA_CHECK_SECONDS: '0', PORT: '0', DATA_DIR: dataDir }));
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('HubSpot contacts and deals over POST /v1/import: funnel per source and MQL cohorts in the portal zone', async () => {
    const contactsRes = await fetch(`${app.url}/v1/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mapping: JSON.parse(text('hubspot/hubspot-contacts.mapping.json')), csv: text('hubspot/contacts.csv') }),
    });
    const contacts = csv('hubspot/contacts.csv');
    const withDate = (col: string) => contacts.filter((c) => c[col] !== '').length;
    expect(contactsRes.status).toBe(200);
    expect(await contactsRes.json()).toMatchObject({
      rows: contacts.length,
      rejectedRows: 0,
      byType: {
        LeadCaptured: { accepted: withDate('Became a Lead Date') },
        LeadStageChanged: { accepted: withDate('Became a Marketing Qualified Lead Date') + withDate('Became a Sales Qualified Lead Date') },
      },
      rejects: [],
    });

    const form = new FormData();
    form.append('mapping', text('hubspot/hubspot-deals.mapping.json'));
    form.append('csv', new Blob([text('hubspot/deals.csv')], { type: 'text/csv' }), 'deals.csv');
    const dealsRes = await fetch(`${app.url}/v1/import`, { method: 'POST', body: form });
    const dealsAnswer: any = await dealsRes.json();
    const deals = csv('hubspot/deals.csv');
    // One deal has the amount "lots": its row is rejected, with the row as a spreadsheet numbers it.
    const badRow = deals.findIndex((d) => d.Amount === 'lots');
    expect(dealsAnswer.rejects).toEqual([
      { row: badRow + 2, reason: 'OpportunityCreated data.amount (column "Amount"): "lots" is not a number with decimal separator "."', cells: deals[badRow] },
    ]);
    const good = deals.filter((_, i) => i !== badRow);
    expect(dealsAnswer).toMatchObject({
      rows: deals.length,
      rejectedRows: 1,
      byType: {
        OpportunityCreated: { accepted: good.length, rejected: 1 },
        OpportunityWon: { accepted: good.filter((d) => d['Deal Stage'] === 'closedwon').length },
        OpportunityLost: { accepted: good.filter((d) => d['Deal Stage'] === 'closedlost').length },
      },
    });
    await client.caughtUp(60_000);

    const CHANNELS: Record<string, string> = { 'Organic Search': 'organic_search', 'Paid Search': 'paid_search', 'Email Marketing': 'email', 'Social Media': 'social', Referrals: 'referral', 'Direct Traffic': 'direct' };
    const channel = new Map(contacts.map((c) => [c['Contact ID'], CHANNELS[c['Original Source']] ?? '(none)']));
    const linked = (stage?: string) => new Set(good.filter((d) => !stage || d['Deal Stage'] === stage).flatMap((d) => d['Associated Contact IDs'].split(';')));
    const expected: Record<string, Record<string, number>> = {};
    const bump = (id: string, stage: string) => {
      const e = (expected[channel.get(id)!] ??= Object.fromEntries(STAGES.map((s) => [s, 0])));
      e[stage]++;
    };
    for (const c of contacts) {
      const id = c['Contact ID'];
      if (c['Became a Lead Date']) bump(id, 'CAPTURED');
      if (c['Became a Marketing Qualified Lead Date']) bump(id, 'MQL');
      if (c['Became a Sales Qualified Lead Date']) bump(id, 'SQL');
      if (linked().has(id)) bump(id, 'OPPORTUNITY');
      if (linked('closedwon').has(id)) bump(id, 'WON');
    }
    const data = await client.data(`{
      funnel(${HUBSPOT}, breakdown: CHANNEL) { groups { key stages { stage entered } } }
      cohorts(${HUBSPOT}, grain: MONTH, anchor: MQL, target: WON) { cohort size converted }
    }`);
    expect(enteredByKey(data.funnel)).toEqual(expected);
    // Worked out by hand from the CSVs read in Europe/Berlin: contact 1002 became an MQL at
    // 2024-04-01 00:30 Berlin (CEST, UTC+2) = 2024-03-31T22:30Z, so it is in the March cohort;
    // contacts linked to a deal without an MQL date reach MQL at the deal's creation (skipped).
    expect(data.cohorts).toEqual([
      { cohort: '2024-01', size: 3, converted: 0 },
      { cohort: '2024-02', size: 11, converted: 3 },
      { cohort: '2024-03', size: 7, converted: 2 },
      { cohort: '2024-04', size: 7, converted: 2 },
      { cohort: '2024-05', size: 2, converted: 2 },
    ]);
  });

  it('Salesforce Lead, Opportunity, OpportunityHistory and CampaignMember with the CLI: funnel, first-touch attribution, stages', async () => {
    for (const [mapping, file] of [
      ['salesforce-lead', 'Lead'],
      ['salesforce-opportunity', 'Opportunity'],
      ['salesforce-opportunity-history', 'OpportunityHistory'],
      ['salesforce-campaign-member', 'CampaignMember'],
    ]) {
      copyFileSync(join(EXAMPLES, `salesforce/${file}.csv`), join(work, `${file}.csv`));
      const { summary } = await cli({ mapping: join(EXAMPLES, `salesforce/${mapping}.mapping.json`), files: [join(work, `${file}.csv`)] });
      expect({ file, rejectedRows: summary.rejectedRows, rejected: summary.rejected, duplicates: summary.duplicates }).toEqual({ file, rejectedRows: 0, rejected: 0, duplicates: 0 });
    }
    await client.caughtUp(60_000);

    const leads = csv('salesforce/Lead.csv');
    const opps = new Map(csv('salesforce/Opportunity.csv').map((o) => [o.Id, o]));
    const history = csv('salesforce/OpportunityHistory.csv');
    const SOURCES: Record<string, string> = { Web: 'web', 'Phone Inquiry': 'phone', 'Partner Referral': 'referral', 'Purchased List': 'purchased_list', Other: 'other' };
    const TOUCH_CHANNELS: Record<string, string> = { Webinar: 'webinar', Email: 'email', Advertisement: 'paid_ads', 'Trade Show': 'events' };
    const responses = csv('salesforce/CampaignMember.csv').filter((m) => m.HasResponded === 'true');
    // CHANNEL: the capture's channel, else (no campaign launches here) the earliest touch's.
    const channelOf = (l: Record<string, string>) => {
      if (SOURCES[l.LeadSource]) return SOURCES[l.LeadSource];
      const first = responses.filter((m) => m.LeadId === l.Id).sort((a, b) => a.FirstRespondedDate.localeCompare(b.FirstRespondedDate))[0];
      return first ? TOUCH_CHANNELS[first['Campaign.Type']] : '(none)';
    };
    const expected: Record<string, Record<string, number>> = {};
    for (const l of leads) {
      const e = (expected[channelOf(l)] ??= Object.fromEntries(STAGES.map((s) => [s, 0])));
      e.CAPTURED++;
      const opp = opps.get(l.ConvertedOpportunityId);
      if (opp) e.OPPORTUNITY++;
      if (opp?.IsWon === 'true') e.WON++;
    }
    const wonAmount = [...opps.values()].filter((o) => o.IsWon === 'true').reduce((s, o) => s + Number(o.Amount), 0);
    const open = [...opps.values()].filter((o) => o.IsClosed === 'false');
    const lastStage = (id: string) => history.filter((h) => h.OpportunityId === id).sort((a, b) => a.CreatedDate.localeCompare(b.CreatedDate)).at(-1)!.StageName.toLowerCase();

    const data = await client.data(`{
      funnel(${SALESFORCE}, breakdown: CHANNEL) { groups { key stages { stage entered } } }
      attribution(${SALESFORCE}, model: FIRST_TOUCH, milestone: WON, by: CAMPAIGN) { conversions totalValue rows { key credit } }
      stalledOpportunities(asOf: "2030-01-01T00:00:00Z", first: 100) { edges { node { id stage } } }
    }`);
    expect(enteredByKey(data.funnel)).toEqual(expected);
    expect(data.attribution.conversions).toBe([...opps.values()].filter((o) => o.IsWon === 'true').length);
    expect(data.attribution.totalValue).toBeCloseTo(wonAmount, 6);
    // Worked out by hand from CampaignMember.csv: each won deal's earliest responded campaign
    // (FirstRespondedDate at midnight in America/Los_Angeles) within 365 days before CloseDate.
    expect(Object.fromEntries(data.attribution.rows.map((r: any) => [r.key, r.credit]))).toEqual({ '(none)': 3, '701C1': 2, '701C2': 2, '701C3': 3, '701C4': 1 });
    // Every open opportunity is stalled by 2030; the HubSpot ones are told apart by their id prefix.
    const stalled = data.stalledOpportunities.edges.filter((e: any) => !e.node.id.startsWith('hs-deal-'));
    expect(Object.fromEntries(stalled.map((e: any) => [e.node.id, e.node.stage]))).toEqual(Object.fromEntries(open.map((o) => [o.Id, lastStage(o.Id)])));
  });

  it('a second import of the same file is all duplicates; a bad row goes to <file>.rejects.csv', async () => {
    const lead = join(work, 'Lead.csv');
    const again = await cli({ mapping: join(EXAMPLES, 'salesforce/salesforce-lead.mapping.json'), files: [lead] });
    expect(again.summary).toMatchObject({ accepted: 0, rejected: 0, rejectedRows: 0 });
    expect(again.summary.duplicates).toBe(again.summary.byType.LeadCaptured.events + again.summary.byType.LeadConverted.events);

    const file = join(work, 'Lead-fixed.csv');
    const original = readFileSync(lead, 'utf8').trimEnd().split('\n');
    // Row 3 gets an impossible date, and a new row 32 is added.
    const cells = original[2].split(',');
    cells[1] = '2024-02-30T10:00:00.000Z';
    writeFileSync(file, [...original.slice(0, 2), cells.join(','), ...original.slice(3), '00Q9999,2024-06-01T10:00:00.000Z,Web,Open - Not Contacted,005A1,,false,,'].join('\n'));
    const { summary, printed } = await cli({ mapping: join(EXAMPLES, 'salesforce/salesforce-lead.mapping.json'), files: [file] });
    expect(summary).toMatchObject({ rows: 31, rejectedRows: 1, accepted: 1 });
    expect(printed).toContain(`written to ${file}.rejects.csv`);
    expect(parseCsv(readFileSync(`${file}.rejects.csv`, 'utf8'))).toEqual([
      {
        ...parseCsv(`${original[0]}\n${cells.join(',')}\n`)[0],
        _row: '3',
        _reason: 'LeadCaptured occurredAt (column "CreatedDate"): "2024-02-30T10:00:00.000Z" is not a date in "ISO"',
      },
    ]);
  });

  it('--dry-run sends nothing; a missing column, a bad mapping or a non-UTF-8 file stop before sending', async () => {
    const before: any = await (await fetch(`${app.url}/v1/status`)).json();
    const dry = await cli({ mapping: join(EXAMPLES, 'hubspot/hubspot-contacts.mapping.json'), files: [join(EXAMPLES, 'hubspot/contacts.csv')], dryRun: true });
    expect(dry.printed).toContain('first 10 events (dry run, nothing sent)');
    expect(dry.printed).toContain('"type":"LeadCaptured"');
    expect(dry.summary.accepted).toBe(0);

    const noSource = join(work, 'contacts-no-source.csv');
    writeFileSync(noSource, text('hubspot/contacts.csv').replace('Original Source', 'Source'));
    await expect(cli({ mapping: join(EXAMPLES, 'hubspot/hubspot-contacts.mapping.json'), files: [join(EXAMPLES, 'hubspot/contacts.csv'), noSource] })).rejects.toThrow(
      /events\[0\]\.fields\.channel\.column: column "Original Source" is not in the file's header .* in .*contacts-no-source\.csv/,
    );

    const badMapping = join(work, 'bad.mapping.json');
    const m = JSON.parse(text('olist/olist-deals.mapping.json'));
    m.events[0].fields.amount.transform = ['round'];
    writeFileSync(badMapping, JSON.stringify(m));
    await expect(cli({ mapping: badMapping, files: [join(EXAMPLES, 'hubspot/deals.csv')] })).rejects.toThrow(/events\[0\]\.fields\.amount\.transform\[0\]/);

    const latin1 = join(work, 'latin1.csv');
    writeFileSync(latin1, Buffer.from(`${text('hubspot/contacts.csv').replace('Ana Silva', 'Ana Sim\xf5es')}`, 'latin1'));
    await expect(cli({ mapping: join(EXAMPLES, 'hubspot/hubspot-contacts.mapping.json'), files: [latin1] })).rejects.toThrow(/not valid UTF-8.*--encoding latin1/);

    const after: any = await (await fetch(`${app.url}/v1/status`)).json();
    expect(after.accepted).toBe(before.accepted);

    const res = await fetch(`${app.url}/v1/import`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mapping: m, csv: text('hubspot/deals.csv') }) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'INVALID_MAPPING', errors: [{ path: 'events[0].fields.amount.transform[0]' }] });

    const csvFirst = new FormData();
    csvFirst.append('csv', new Blob([text('hubspot/deals.csv')]), 'deals.csv');
    csvFirst.append('mapping', text('hubspot/hubspot-deals.mapping.json'));
    const outOfOrder = await fetch(`${app.url}/v1/import`, { method: 'POST', body: csvFirst });
    expect([outOfOrder.status, ((await outOfOrder.json()) as any).message]).toEqual([400, 'send the "mapping" part before the "csv" part']);
    const plain = await fetch(`${app.url}/v1/import`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: text('hubspot/deals.csv') });
    expect(plain.status).toBe(415);
    const end: any = await (await fetch(`${app.url}/v1/status`)).json();
    expect(end.accepted).toBe(before.accepted);
  });
});
