import type { ClickHouse } from '@funnel/clickhouse';

/**
 * Synthetic history generated inside ClickHouse (`INSERT INTO <fact table> SELECT ... FROM
 * numbers(N)`): 10M touches as JS objects through insertFacts would take minutes and gigabytes.
 * Rows go into the product's fact tables with the columns of libs/facts/migrations/001_facts.sql
 * only, so whatever later migrations hang on those tables (materialized views) is fed as the
 * projection would feed it. Deterministic: every value is a hash of the row number.
 *
 * At scale 1: 1M leads (all captured, 80% with a campaign), 10M touches (the capture touches
 * included, ~10 per lead), 500 campaigns over 6 channels, MQL/SAL/SQL for 40/25/15% of leads,
 * 100k opportunities (a fifth with two leads) of which ~30% won and ~30% lost, over three years
 * ending at END; about 1% of rows are written twice (same event id) to keep dedupe honest.
 */
export const END_MS = Date.parse('2026-11-01T00:00:00.000Z');
const DAY_MS = 86_400_000;
export const HISTORY_DAYS = 3 * 365;
const START_MS = END_MS - HISTORY_DAYS * DAY_MS;
const CAMPAIGNS = 500;
const CHANNELS = ['paid_search', 'social', 'email', 'webinar', 'events', 'content'];

export interface GeneratedSize {
  readonly leads: number;
  readonly touches: number;
  readonly opportunities: number;
}

export function sizeAt(scale: number): GeneratedSize {
  const leads = Math.max(100, Math.round(1_000_000 * scale));
  return { leads, touches: leads * 10, opportunities: Math.floor(leads / 10) };
}

/** [from, to) of the whole generated history (touches start up to 60 days before the first capture). */
export const WHOLE_HISTORY = { from: new Date(START_MS - 60 * DAY_MS).toISOString(), to: new Date(END_MS).toISOString() };
export const LAST_30_DAYS = { from: new Date(END_MS - 30 * DAY_MS).toISOString(), to: new Date(END_MS).toISOString() };

const int = (n: number) => {
  if (!Number.isSafeInteger(n)) throw new Error(`not an integer: ${n}`);
  return String(n);
};
// toUInt64: a hash depends on the argument's type, and `%` narrows it to the divisor's type.
const h = (x: string, salt: string) => `cityHash64(toUInt64(${x}), '${salt}')`;
const time = (ms: string) => `fromUnixTimestamp64Milli(toInt64(${ms}), 'UTC')`;
const pick = (values: readonly string[], x: string, salt: string) =>
  `[${values.map((v) => `'${v}'`).join(', ')}][${h(x, salt)} % ${values.length} + 1]`;
const campaignChannel = (c: string) => `[${CHANNELS.map((v) => `'${v}'`).join(', ')}][${c} % ${CHANNELS.length} + 1]`;
const days = (n: number) => int(n * DAY_MS);
/** Capture time (ms) of lead number i: uniform over the history. */
const captureMs = (i: string) => `(${int(START_MS)} + ${h(i, 'cap')} % ${days(HISTORY_DAYS)})`;
const hasCampaign = (i: string) => `(${h(i, 'hc')} % 10 < 8)`;
const leadCampaign = (i: string) => `(${h(i, 'lc')} % ${CAMPAIGNS})`;

/** The capture (ms) of the lead of opportunity k (its first lead), and the creation after it. */
const createdMs = (k: string) => `(${captureMs(`${k} * 10`)} + ${days(20)} + ${h(k, 'oc')} % ${days(90)})`;
const wonMs = (k: string) => `(${createdMs(k)} + ${days(14)} + ${h(k, 'ow')} % ${days(120)})`;
const outcome = (k: string) => `(${h(k, 'out')} % 10)`;
const createdAmount = (k: string) => `toFloat64(1000 + ${h(k, 'amt')} % 50000)`;

const OPPORTUNITY_COLUMNS = 'event_id, opportunity_id, occurred_at, type, stage, amount, account_id, owner_id, reason, next_step, due_at, resume_by';

function statements(size: GeneratedSize): string[] {
  const { leads, opportunities } = size;
  const end = int(END_MS);
  const stage = (name: string, percent: number, ms: string) => `
    INSERT INTO lead_stage_entries (event_id, lead_id, occurred_at, stage)
    SELECT concat('st-', toString(number), '-${name}'), concat('L-', toString(number)), ${time(ms)}, '${name}'
    FROM numbers(${int(leads)}) WHERE ${h('number', 'stage')} % 100 < ${percent} AND ${ms} < ${end}`;
  const mqlMs = `(${captureMs('number')} + ${h('number', 'm')} % ${days(30)})`;
  const salMs = `(${mqlMs} + ${h('number', 'a')} % ${days(14)})`;
  const sqlMs = `(${salMs} + ${h('number', 'q')} % ${days(21)})`;
  const otherTouches = size.touches - Math.round(leads * 0.8);
  const touchLead = `(${h('number', 'tl')} % ${int(leads)})`;
  // Pre-capture research to long nurture: [-60, +240) days around the capture, folded back
  // by 300 days when that lies past the end of the history.
  const touchMs = `(${captureMs(touchLead)} - ${days(60)} + ${h('number', 'tt')} % ${days(300)})`;
  const touchCampaign = `(${h('number', 'tc')} % ${CAMPAIGNS})`;
  const oppRows = (type: string, ms: string, where: string, amount: string, reason = 'NULL') => `
    INSERT INTO opportunity_events (${OPPORTUNITY_COLUMNS})
    SELECT concat('${type}-', toString(number)), concat('O-', toString(number)), ${time(ms)}, '${type}',
           ${type === 'OpportunityCreated' ? `'discovery'` : 'NULL'}, ${amount}, NULL, concat('owner-', toString(${h('number', 'own')} % 20)),
           ${reason}, NULL, NULL, NULL
    FROM numbers(${int(opportunities)}) WHERE ${where} AND ${ms} < ${end}`;
  const dup = (table: string, columns: string, percent: number) =>
    `INSERT INTO ${table} (${columns}) SELECT ${columns} FROM ${table} WHERE cityHash64(event_id, 'dup') % 100 < ${percent}`;
  return [
    `INSERT INTO campaigns (event_id, campaign_id, occurred_at, name, channel, budget)
     SELECT concat('launch-', toString(number)), concat('C-', toString(number)), ${time(`${int(START_MS)} + number * ${days(1)}`)},
            concat('Campaign ', toString(number)), ${campaignChannel('number')}, toFloat64(5000 + number * 10)
     FROM numbers(${CAMPAIGNS})`,
    `INSERT INTO lead_captures (event_id, lead_id, occurred_at, account_id, campaign_id, channel, owner_id, segment, region, product, industry, company_size)
     SELECT concat('cap-', toString(number)), concat('L-', toString(number)), ${time(captureMs('number'))}, NULL,
            if(${hasCampaign('number')}, concat('C-', toString(${leadCampaign('number')})), NULL),
            if(${hasCampaign('number')}, ${campaignChannel(leadCampaign('number'))}, ${pick(['direct', 'organic_search', 'referral'], 'number', 'ch')}),
            concat('owner-', toString(${h('number', 'own')} % 20)), ${pick(['SMB', 'MID', 'ENT'], 'number', 'seg')},
            ${pick(['EMEA', 'NA', 'APAC', 'LATAM'], 'number', 'reg')}, ${pick(['core', 'plus'], 'number', 'prod')}, NULL, NULL
     FROM numbers(${int(leads)})`,
    // A capture with a campaign is also a touch (form_fill), as the projection writes it.
    `INSERT INTO touches (event_id, lead_id, occurred_at, campaign_id, channel, touch_type, from_capture)
     SELECT event_id, lead_id, occurred_at, campaign_id, channel, 'form_fill', 1 FROM lead_captures WHERE campaign_id IS NOT NULL`,
    `INSERT INTO touches (event_id, lead_id, occurred_at, campaign_id, channel, touch_type, from_capture)
     SELECT concat('t-', toString(number)), concat('L-', toString(${touchLead})),
            ${time(`if(${touchMs} >= ${end}, ${touchMs} - ${days(300)}, ${touchMs})`)},
            if(${h('number', 'hc')} % 10 < 9, concat('C-', toString(${touchCampaign})), NULL),
            if(${h('number', 'hc')} % 10 < 9, ${campaignChannel(touchCampaign)}, 'direct'),
            ${pick(['ad_click', 'email_click', 'web_visit', 'event_attended'], 'number', 'tty')}, 0
     FROM numbers(${int(otherTouches)})`,
    stage('MQL', 40, mqlMs),
    stage('SAL', 25, salMs),
    stage('SQL', 15, sqlMs),
    oppRows('OpportunityCreated', createdMs('number'), '1', createdAmount('number')),
    oppRows('OpportunityAmountChanged', `(${createdMs('number')} + ${days(7)})`, `${h('number', 'ac')} % 5 = 0`, `${createdAmount('number')} * 1.1`),
    // A third of the wins carry no amount: the report falls back to the latest amount before the win.
    oppRows('OpportunityWon', wonMs('number'), `${outcome('number')} < 3`, `if(${h('number', 'wa')} % 3 = 0, NULL, ${createdAmount('number')} * 1.2)`),
    oppRows('OpportunityLost', wonMs('number'), `${outcome('number')} BETWEEN 3 AND 5`, 'NULL', `'no_budget'`),
    `INSERT INTO lead_links (event_id, lead_id, opportunity_id, occurred_at, via)
     SELECT concat('OpportunityCreated-', toString(k)), concat('L-', toString(k * 10 + second)), concat('O-', toString(k)), ${time(createdMs('k'))}, 'created'
     FROM (SELECT number AS k, arrayJoin(if(${h('number', 'two')} % 5 = 0, [0, 1], [0])) AS second FROM numbers(${int(opportunities)}))
     WHERE ${createdMs('k')} < ${end}`,
    dup('touches', 'event_id, lead_id, occurred_at, campaign_id, channel, touch_type, from_capture', 1),
    dup('lead_captures', 'event_id, lead_id, occurred_at, account_id, campaign_id, channel, owner_id, segment, region, product, industry, company_size', 1),
    dup('lead_stage_entries', 'event_id, lead_id, occurred_at, stage', 1),
    dup('opportunity_events', OPPORTUNITY_COLUMNS, 2),
    dup('lead_links', 'event_id, lead_id, opportunity_id, occurred_at, via', 2),
  ];
}

/** Fills the (migrated, empty) fact tables of `ch`; returns the fact rows written. */
export async function generateFacts(ch: ClickHouse, size: GeneratedSize): Promise<number> {
  for (const sql of statements(size)) await ch.command(sql);
  const tables = ['campaigns', 'lead_captures', 'touches', 'lead_stage_entries', 'opportunity_events', 'lead_links'];
  const counts = await ch.query<{ n: string }>(tables.map((t) => `SELECT count() AS n FROM ${t}`).join(' UNION ALL '));
  return counts.reduce((n, r) => n + Number(r.n), 0);
}
