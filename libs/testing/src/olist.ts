import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from './csv';
import { expectEventually } from './expect-eventually';
import { sharedData } from './shared-data';

/** The real Olist marketing funnel (8,000 MQLs, 842 closed deals) in ../shared/data; see sharedData. */
export const OLIST = sharedData('olist-marketing-funnel');
export const OLIST_MQLS_CSV = join(OLIST.path, 'olist_marketing_qualified_leads_dataset.csv');
export const OLIST_DEALS_CSV = join(OLIST.path, 'olist_closed_deals_dataset.csv');

export interface OlistRows {
  readonly mqls: Record<string, string>[];
  readonly deals: Record<string, string>[];
}

export function readOlist(): OlistRows {
  return { mqls: parseCsv(readFileSync(OLIST_MQLS_CSV, 'utf8')), deals: parseCsv(readFileSync(OLIST_DEALS_CSV, 'utf8')) };
}

export const olistDay = (d: string) => `${d}T00:00:00Z`;
export const olistWonAt = (d: string) => `${d.replace(' ', 'T')}Z`;

/**
 * The Olist rows as events, the reading of DESIGN §9 written out by hand (tests compare the
 * shipped import mappings and the reports against it): an MQL row is a LeadCaptured (channel =
 * origin, campaign = landing_page_id) and a LeadStageChanged MQL at first_contact_date; a deal is
 * an OpportunityCreated (linked to the lead, amount = declared_monthly_revenue, owner = sr_id) and
 * an OpportunityWon at won_date. Every date is UTC.
 */
export function olistEvents({ mqls, deals }: OlistRows): object[] {
  const events: object[] = [];
  for (const m of mqls) {
    const channel = m.origin === '' ? {} : { channel: m.origin };
    const at = olistDay(m.first_contact_date);
    events.push({ id: `mql-${m.mql_id}`, type: 'LeadCaptured', occurredAt: at, source: 'olist', data: { leadId: m.mql_id, campaignId: m.landing_page_id, ...channel } });
    events.push({ id: `mql-stage-${m.mql_id}`, type: 'LeadStageChanged', occurredAt: at, source: 'olist', data: { leadId: m.mql_id, stage: 'MQL' } });
  }
  for (const d of deals) {
    const at = olistWonAt(d.won_date);
    const amount = Number(d.declared_monthly_revenue || 0);
    events.push({ id: `deal-${d.mql_id}`, type: 'OpportunityCreated', occurredAt: at, source: 'olist', data: { opportunityId: `opp-${d.mql_id}`, leadIds: [d.mql_id], amount, ownerId: d.sr_id } });
    events.push({ id: `won-${d.mql_id}`, type: 'OpportunityWon', occurredAt: at, source: 'olist', data: { opportunityId: `opp-${d.mql_id}` } });
  }
  return events;
}

/** Posts `events` to a server in NDJSON batches, each wholly accepted, and waits until both read models show them. */
export async function ingestAll(url: string, events: readonly object[], timeoutMs = 120_000): Promise<void> {
  for (let i = 0; i < events.length; i += 10_000) {
    const res = await fetch(`${url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: events.slice(i, i + 10_000).map((e) => JSON.stringify(e)).join('\n'),
    });
    expect({ status: res.status, body: await res.json() }).toMatchObject({ status: 202, body: { duplicates: 0, rejected: [] } });
  }
  await expectEventually(async () => {
    const status: any = await (await fetch(`${url}/v1/status`)).json();
    expect(status.accepted).toBeGreaterThanOrEqual(events.length);
    for (const p of status.projections) expect(p.lag).toBe(0);
  }, timeoutMs);
}
