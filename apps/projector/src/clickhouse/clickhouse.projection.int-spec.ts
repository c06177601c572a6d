import { createClickHouse, type ClickHouse } from '@funnel/clickhouse';
import { FACT_TABLES, migrateFacts } from '@funnel/facts';
import { validateEvent, type FunnelEvent, type LogEvent } from '@funnel/contracts';
import { retractionOf } from '@funnel/domain';
import {
  asLogRecords,
  generateFunnelEvents,
  shuffled,
  startChdbHttpServer,
  type ChdbHttpServer,
} from '@funnel/testing';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClickHouseProjection } from './clickhouse.projection';

type Row = Record<string, unknown>;
type Snapshot = Record<string, Row[]>;

// chdb holds one data directory per process: the embedded adapter opens it and the HTTP shim
// the server adapter talks to serves the same one; each target works in its own database.
const dataDir = mkdtempSync(join(tmpdir(), 'clickhouse-projection-'));
let http: ChdbHttpServer;

beforeAll(async () => {
  http = await startChdbHttpServer({ dataDir: join(dataDir, 'clickhouse') });
});

afterAll(async () => {
  await http?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

type Target = [label: string, open: (database: string) => Promise<ClickHouse>];

const targets: Target[] = [
  ['embedded chdb', (database) => createClickHouse({ dataDir, database })],
  ['server adapter over chdb HTTP', (database) => createClickHouse({ url: http.url, dataDir, database })],
];
const serverUrl = process.env.CLICKHOUSE_URL;
if (serverUrl) {
  targets.push(['ClickHouse server at CLICKHOUSE_URL', (database) => createClickHouse({ url: serverUrl, dataDir, database })]);
}

/** The fact tables the migrations created, with their ReplacingMergeTree keys (retracted ids are not facts). */
async function factTables(ch: ClickHouse): Promise<Map<string, string>> {
  const rows = await ch.query<{ name: string; sorting_key: string }>(
    `SELECT name, sorting_key FROM system.tables
     WHERE database = currentDatabase() AND engine LIKE '%ReplacingMergeTree' AND name NOT IN ('schema_migrations', 'retracted_events') ORDER BY name`,
  );
  return new Map(rows.map((r) => [r.name, r.sorting_key]));
}

/**
 * Every fact table, one row per key, ordered by event id then key (as the fixtures list them). FINAL deduplicates at read time, so this is
 * the state whether or not the engine has merged the redelivered rows away.
 */
async function snapshot(ch: ClickHouse, tables: Map<string, string>): Promise<Snapshot> {
  const state: Snapshot = {};
  for (const [table, key] of tables) state[table] = await ch.query(`SELECT * FROM ${table} FINAL ORDER BY event_id, ${key}`);
  return state;
}

/** Stored rows per table, duplicates included. */
async function rawCounts(ch: ClickHouse, tables: Map<string, string>): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tables.keys()) {
    const [{ n }] = await ch.query<{ n: string }>(`SELECT count() AS n FROM ${table}`);
    counts[table] = Number(n);
  }
  return counts;
}

/** Per lead and per opportunity the merged state, and the facts: what every reader sees. */
async function mergedState(ch: ClickHouse, tables: Map<string, string>) {
  return {
    leads: await ch.query(`SELECT lead_id, min(first_at) AS f, min(captured_at) AS c, min(mql_at) AS m, min(sal_at) AS sa, min(sql_at) AS sq,
        argMinMerge(capture_campaign_id) AS cc, argMinMerge(capture_channel) AS cch, argMinMerge(capture_segment) AS cs,
        argMinMerge(capture_region) AS cr, argMinMerge(capture_product) AS cp, argMinMerge(first_touch_campaign_id) AS ftc,
        argMinMerge(first_touch_channel) AS ftch, argMaxMerge(owner_id) AS o FROM lead_state GROUP BY lead_id ORDER BY lead_id`),
    opportunities: await ch.query(`SELECT opportunity_id, min(created_at) AS c, argMinMerge(created_amount) AS ca, min(won_at) AS w,
        argMinMerge(won_amount) AS wa FROM opportunity_state GROUP BY opportunity_id ORDER BY opportunity_id`),
    facts: await snapshot(ch, tables),
  };
}

async function applyInBatches(p: ClickHouseProjection, events: readonly FunnelEvent[], size: number) {
  const records = asLogRecords(events);
  for (let i = 0; i < records.length; i += size) await p.apply(records.slice(i, i + size));
}

/** Through the real validator, so the hand-written stream is exactly what ingest would store. */
function event(id: string, type: string, occurredAt: string, data: object): FunnelEvent {
  const result = validateEvent({ id, type, occurredAt, data }, { reportingCurrency: 'USD' });
  if (!result.ok) throw new Error(`invalid test event ${id}: ${JSON.stringify(result.errors)}`);
  return result.event;
}

/** One or more events of every type that has a fact table, through the real validator. */
const HAPPY_STREAM: FunnelEvent[] = [
  event('c1', 'CampaignLaunched', '2026-01-01T00:00:00Z', { campaignId: 'C1', name: 'Spring', channel: 'social', budget: 5000 }),
  event('k1', 'CampaignCostRecorded', '2026-01-31T12:00:00Z', {
    campaignId: 'C1', amount: '500.25', periodStart: '2026-01-01', periodEnd: '2026-01-31T23:59:59.999Z',
  }),
  event('l1', 'LeadCaptured', '2026-01-02T10:30:00.123+01:00', {
    leadId: 'L1', accountId: 'A1', campaignId: 'C1', channel: 'social', attributes: { segment: 'smb', region: 'emea' },
  }),
  event('l2', 'LeadCaptured', '2026-01-02T10:00:00Z', { leadId: 'L2', ownerId: 'rep-2' }),
  event('t1', 'LeadTouched', '2026-01-03T00:00:00Z', { leadId: 'L2', campaignId: 'C1', channel: 'email', touchType: 'email_click' }),
  event('s1', 'LeadScored', '2026-01-03T01:00:00Z', { leadId: 'L1', score: 72.5, fit: 0.8 }),
  event('m1', 'LeadStageChanged', '2026-01-04T00:00:00Z', { leadId: 'L1', stage: 'MQL' }),
  event('q1', 'LeadQualificationUpdated', '2026-01-04T01:00:00Z', { leadId: 'L1', budget: true, need: false, timelineDays: 90 }),
  event('a1', 'LeadAssigned', '2026-01-04T02:00:00Z', { leadId: 'L1', ownerId: 'rep-1', queue: 'inbound' }),
  event('v1', 'LeadActivityLogged', '2026-01-04T03:00:00Z', { leadId: 'L1', activityType: 'call' }),
  event('d1', 'LeadDispositioned', '2026-01-05T00:00:00Z', { leadId: 'L2', disposition: 'no_timing' }),
  event('r1', 'LeadRecycled', '2026-01-06T00:00:00Z', { leadId: 'L2', reason: 'new budget' }),
  event('x1', 'LeadConverted', '2026-01-07T00:00:00Z', { leadId: 'L1', opportunityId: 'O1' }),
  event('o1', 'OpportunityCreated', '2026-01-07T00:00:00Z', {
    opportunityId: 'O1', leadIds: ['L1', 'L2'], amount: 1000, stage: 'discovery', ownerId: 'ae-1',
  }),
  event('o2', 'OpportunityNextStepSet', '2026-01-08T00:00:00Z', { opportunityId: 'O1', nextStep: 'demo', dueAt: '2026-01-20T15:00:00Z' }),
  event('o3', 'OpportunityStallAcknowledged', '2026-01-09T00:00:00Z', { opportunityId: 'O1', reason: 'holidays', resumeBy: '2026-01-25' }),
  event('o4', 'OpportunityWon', '2026-02-01T00:00:00Z', { opportunityId: 'O1', amount: 1200 }),
];

const leadFact = (event_id: string, lead_id: string, occurred_at: string) => ({ event_id, lead_id, occurred_at });
const opportunityFact = (event_id: string, occurred_at: string, type: string) => ({
  event_id, opportunity_id: 'O1', occurred_at, type,
  stage: null, amount: null, account_id: null, owner_id: null, reason: null, next_step: null, due_at: null, resume_by: null,
});

/** HAPPY_STREAM's facts, every column, as JSONEachRow reads them back (DateTime64 as UTC text). */
const HAPPY_FACTS: Snapshot = {
  campaigns: [{ event_id: 'c1', campaign_id: 'C1', occurred_at: '2026-01-01 00:00:00.000', name: 'Spring', channel: 'social', budget: 5000 }],
  campaign_costs: [{
    event_id: 'k1', campaign_id: 'C1', occurred_at: '2026-01-31 12:00:00.000', amount: 500.25,
    period_start: '2026-01-01 00:00:00.000', period_end: '2026-01-31 23:59:59.999',
  }],
  lead_captures: [
    {
      ...leadFact('l1', 'L1', '2026-01-02 09:30:00.123'), account_id: 'A1', campaign_id: 'C1', channel: 'social',
      owner_id: null, segment: 'smb', region: 'emea', product: null, industry: null, company_size: null,
    },
    {
      ...leadFact('l2', 'L2', '2026-01-02 10:00:00.000'), account_id: null, campaign_id: null, channel: null,
      owner_id: 'rep-2', segment: null, region: null, product: null, industry: null, company_size: null,
    },
  ],
  // The capture with a campaign is also its form_fill touch; the one without is no touch.
  touches: [
    { ...leadFact('l1', 'L1', '2026-01-02 09:30:00.123'), campaign_id: 'C1', channel: 'social', touch_type: 'form_fill', from_capture: 1 },
    { ...leadFact('t1', 'L2', '2026-01-03 00:00:00.000'), campaign_id: 'C1', channel: 'email', touch_type: 'email_click', from_capture: 0 },
  ],
  lead_scores: [{ ...leadFact('s1', 'L1', '2026-01-03 01:00:00.000'), score: 72.5, fit: 0.8, engagement: null }],
  lead_stage_entries: [{ ...leadFact('m1', 'L1', '2026-01-04 00:00:00.000'), stage: 'MQL' }],
  lead_qualifications: [
    { ...leadFact('q1', 'L1', '2026-01-04 01:00:00.000'), budget: 1, authority: null, need: 0, timeline_days: 90 },
  ],
  lead_assignments: [{ ...leadFact('a1', 'L1', '2026-01-04 02:00:00.000'), owner_id: 'rep-1', queue: 'inbound', rule: null }],
  lead_activities: [{ ...leadFact('v1', 'L1', '2026-01-04 03:00:00.000'), owner_id: null, activity_type: 'call' }],
  lead_dispositions: [
    { ...leadFact('d1', 'L2', '2026-01-05 00:00:00.000'), kind: 'dispositioned', disposition: 'no_timing', note: null },
    { ...leadFact('r1', 'L2', '2026-01-06 00:00:00.000'), kind: 'recycled', disposition: null, note: 'new budget' },
  ],
  // A row per lead of OpportunityCreated.leadIds, beside L1's LeadConverted.
  lead_links: [
    { ...leadFact('o1', 'L1', '2026-01-07 00:00:00.000'), opportunity_id: 'O1', via: 'created' },
    { ...leadFact('o1', 'L2', '2026-01-07 00:00:00.000'), opportunity_id: 'O1', via: 'created' },
    { ...leadFact('x1', 'L1', '2026-01-07 00:00:00.000'), opportunity_id: 'O1', via: 'converted' },
  ],
  opportunity_events: [
    { ...opportunityFact('o1', '2026-01-07 00:00:00.000', 'OpportunityCreated'), stage: 'discovery', amount: 1000, owner_id: 'ae-1' },
    { ...opportunityFact('o2', '2026-01-08 00:00:00.000', 'OpportunityNextStepSet'), next_step: 'demo', due_at: '2026-01-20 15:00:00.000' },
    {
      ...opportunityFact('o3', '2026-01-09 00:00:00.000', 'OpportunityStallAcknowledged'),
      reason: 'holidays', resume_by: '2026-01-25 00:00:00.000',
    },
    { ...opportunityFact('o4', '2026-02-01 00:00:00.000', 'OpportunityWon'), amount: 1200 },
  ],
};

describe.each(targets)('ClickHouseProjection on %s', (_label, open) => {
  const database = `projection_it_${randomBytes(4).toString('hex')}`;
  const events = generateFunnelEvents({ leads: 120, seed: 7 });
  let ch: ClickHouse;
  let tables: Map<string, string>;
  let projection: ClickHouseProjection;

  beforeAll(async () => {
    ch = await open(database);
    await migrateFacts(ch);
    tables = await factTables(ch);
    // Merges would remove duplicates behind the tests' back: with them stopped, every snapshot
    // is read before merges, as a query may be at any time in production.
    for (const table of tables.keys()) await ch.command(`SYSTEM STOP MERGES ${table}`);
    projection = new ClickHouseProjection(ch);
  });

  afterAll(async () => {
    await ch?.command(`DROP DATABASE IF EXISTS ${database}`);
    await ch?.close();
  });

  beforeEach(() => projection.reset());

  it('happy path: one fact row per event and table, links per lead, times as UTC milliseconds', async () => {
    // reset() truncates FACT_TABLES: they must be exactly the tables the migrations create.
    expect([...tables.keys()]).toEqual([...FACT_TABLES].sort());

    await projection.apply(asLogRecords(HAPPY_STREAM));
    expect(await snapshot(ch, tables)).toEqual(HAPPY_FACTS);
    // The instant itself, not only its text: 10:30:00.123+01:00 is 09:30:00.123 UTC.
    const [stored] = await ch.query(`SELECT toUnixTimestamp64Milli(occurred_at) AS ms, toTypeName(occurred_at) AS type
      FROM lead_captures FINAL WHERE event_id = 'l1'`);
    expect(stored).toEqual({ ms: String(Date.parse('2026-01-02T09:30:00.123Z')), type: "DateTime64(3, 'UTC')" });
  });

  it('the same events twice give the same state', async () => {
    await applyInBatches(projection, events, 100);
    const once = await snapshot(ch, tables);
    await applyInBatches(projection, events, 37);
    expect(await snapshot(ch, tables)).toEqual(once);

    // The duplicates are really stored: it is the snapshot's FINAL that reads each event once.
    const rowsOnce = Object.fromEntries(Object.entries(once).map(([table, rows]) => [table, rows.length]));
    expect(Object.entries(rowsOnce).filter(([, n]) => n === 0)).toEqual([]);
    expect(await rawCounts(ch, tables)).toEqual(Object.fromEntries(Object.entries(rowsOnce).map(([table, n]) => [table, 2 * n])));
  });

  it('shuffled order across subjects gives the same state', async () => {
    await applyInBatches(projection, events, 100);
    const ordered = await snapshot(ch, tables);
    await projection.reset();
    await applyInBatches(projection, shuffled(events, 99), 53);
    expect(await snapshot(ch, tables)).toEqual(ordered);
  });

  it('a retraction leaves facts and state as if its event had never been accepted: live, in one batch, redelivered', async () => {
    // A retraction's DELETE is a mutation, which stopped merges would hold up.
    for (const table of tables.keys()) await ch.command(`SYSTEM START MERGES ${table}`);
    const state = () => mergedState(ch, tables);
    const gone = ['OpportunityWon', 'LeadCaptured', 'LeadStageChanged', 'OpportunityCreated'].flatMap((t) => events.filter((e) => e.type === t).slice(0, 3));
    const logRecords = (es: readonly LogEvent[]) => es.map((event, i) => ({ position: String(i + 1), event }));
    const retractions: LogEvent[] = gone.map((e) => retractionOf(e, { reason: 'test', by: 'it', at: '2026-06-01T00:00:00.000Z' }));
    try {
      await applyInBatches(projection, events.filter((e) => !gone.includes(e)), 50);
      const clean = await state();
      await projection.reset();
      await applyInBatches(projection, events, 50);
      expect(await state()).not.toEqual(clean);
      await projection.apply(logRecords(retractions));
      await projection.apply(asLogRecords(gone));
      expect(await state()).toEqual(clean);
      await projection.reset();
      await projection.apply(logRecords([...events, ...retractions]));
      expect(await state()).toEqual(clean);
    } finally {
      for (const table of tables.keys()) await ch.command(`SYSTEM STOP MERGES ${table}`);
    }
  });

  it('rebuild from zero equals incremental', async () => {
    // Small batches, as the live projector applies them; not 1: with merges stopped every insert
    // stays a part of its own, and a thousand parts make the engine throttle inserts.
    await applyInBatches(projection, events, 25);
    const incremental = await snapshot(ch, tables);
    await projection.reset();
    // From zero really: FINAL would hide rows a reset failed to remove.
    expect(Object.entries(await rawCounts(ch, tables)).filter(([, n]) => n > 0)).toEqual([]);
    await applyInBatches(projection, events, events.length);
    expect(await snapshot(ch, tables)).toEqual(incremental);
  });

  describe('state compaction', () => {
    /** `ch` with a count of the extra connections opened on it (the compaction's). */
    function counted(): { connection: ClickHouse; opened: () => number } {
      let opened = 0;
      const connection: ClickHouse = Object.create(ch as object) as ClickHouse;
      connection.withSettings = (settings) => {
        opened++;
        return ch.withSettings(settings);
      };
      return { connection, opened: () => opened };
    }
    const stateParts = async () =>
      (await ch.query<{ parts: string; rows: string; leads: string }>(
        `SELECT (SELECT count() FROM system.parts WHERE active AND database = currentDatabase() AND table = 'lead_state') AS parts,
                count() AS rows, uniqExact(lead_id) AS leads FROM lead_state`,
      ))[0];

    it('once the log is quiet after a bulk load, each state table holds one row per subject and reads the same', async () => {
      const { connection, opened } = counted();
      const compacting = new ClickHouseProjection(connection, { afterEvents: 200, idleMs: 1500, maxDelayMs: 60_000 });
      await applyInBatches(compacting, events, 50);
      const loaded = await mergedState(ch, tables);
      // Every batch pushed the compaction back: it waits for the quiet.
      expect(opened()).toBe(0);
      for (let waited = 0; opened() === 0 && waited < 10_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
      await compacting.stop();
      expect(opened()).toBe(1);
      const after = await stateParts();
      expect(after.parts).toBe('1');
      expect(after.rows).toBe(after.leads);
      expect(await mergedState(ch, tables)).toEqual(loaded);
    });

    it('a log that never goes quiet still gets a compaction, maxDelayMs after it became due', async () => {
      const { connection, opened } = counted();
      const compacting = new ClickHouseProjection(connection, { afterEvents: 50, idleMs: 1000, maxDelayMs: 1500 });
      const records = asLogRecords(events);
      // A batch every 200 ms for 4 s: never the 1 s of quiet.
      for (let i = 0, started = Date.now(); Date.now() - started < 4000; i += 10) {
        await compacting.apply(records.slice(i % records.length, (i % records.length) + 10));
        await new Promise((r) => setTimeout(r, 200));
      }
      await compacting.stop();
      expect(opened()).toBeGreaterThanOrEqual(1);
    });

    it('settle compacts at once; stop cancels a compaction not yet started', async () => {
      const { connection, opened } = counted();
      const compacting = new ClickHouseProjection(connection, { afterEvents: 1, idleMs: 300, maxDelayMs: 60_000 });
      await applyInBatches(compacting, events, 100);
      await compacting.stop();
      await new Promise((r) => setTimeout(r, 600));
      expect(opened()).toBe(0);
      await compacting.settle();
      expect(opened()).toBe(1);
      expect((await stateParts()).parts).toBe('1');
    });
  });
});
