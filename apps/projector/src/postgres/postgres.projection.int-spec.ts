import { openReadModel } from '@funnel/persistence';
import {
  asLogRecords,
  generateFunnelEvents,
  pgliteDatabase,
  realPostgresSchema,
  shuffled,
  type TestDatabase,
} from '@funnel/testing';
import type { FunnelEvent, LogEvent } from '@funnel/contracts';
import { retractionOf } from '@funnel/domain';
import type { DataSource } from 'typeorm';
import { CAMPAIGNS, LEAD_FUNNEL_CHANNEL_SQL, LEADS, OPPORTUNITIES, READ_MODELS } from '@funnel/read-model';
import { PostgresProjection } from './postgres.projection';

/** Everything the projection wrote, in a stable order, without bookkeeping columns. */
async function snapshot(ds: DataSource) {
  const q = (sql: string) => ds.query(sql);
  return {
    leads: await q(`SELECT * FROM leads ORDER BY lead_id`),
    opportunities: await q(`SELECT * FROM opportunities ORDER BY opportunity_id`),
    links: await q(`SELECT * FROM lead_opportunity_links ORDER BY lead_id, opportunity_id`),
    campaigns: await q(`SELECT * FROM campaigns ORDER BY campaign_id`),
    costs: await q(`SELECT * FROM campaign_costs ORDER BY event_id`),
    funnel: await q(`SELECT * FROM lead_funnel ORDER BY lead_id`),
  };
}

function stripVolatile(s: Awaited<ReturnType<typeof snapshot>>) {
  const strip = (rows: Record<string, unknown>[]) => rows.map(({ updated_at: _u, ...rest }) => rest);
  return { ...s, leads: strip(s.leads), opportunities: strip(s.opportunities), campaigns: strip(s.campaigns) };
}

async function applyInBatches(p: PostgresProjection, events: readonly FunnelEvent[], size: number) {
  const records = asLogRecords(events);
  for (let i = 0; i < records.length; i += size) await p.apply(records.slice(i, i + size));
}

describe.each([
  ['PostgreSQL server', () => realPostgresSchema('proj')],
  ['PGlite', () => pgliteDatabase()],
])('PostgresProjection on %s', (_label, open: () => Promise<TestDatabase>) => {
  let db: TestDatabase;
  let ds: DataSource;
  let projection: PostgresProjection;
  const events = generateFunnelEvents({ leads: 120, seed: 7 });

  beforeAll(async () => {
    db = await open();
    ds = await openReadModel({ url: db.url, schema: db.schema, poolSize: db.poolSize });
    projection = new PostgresProjection(ds);
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.close();
  });
  beforeEach(() => projection.reset());

  it('happy path: projects leads, opportunities, links, campaigns and costs', async () => {
    const e = (id: string, type: string, occurredAt: string, data: object) =>
      ({ id, type, occurredAt, schemaVersion: 1, data }) as FunnelEvent;
    await projection.apply(asLogRecords([
      e('c1', 'CampaignLaunched', '2026-01-01T00:00:00.000Z', { campaignId: 'C1', name: 'Spring', channel: 'social' }),
      e('k1', 'CampaignCostRecorded', '2026-01-31T00:00:00.000Z', { campaignId: 'C1', amount: 500, periodStart: '2026-01-01T00:00:00.000Z', periodEnd: '2026-01-31T00:00:00.000Z' }),
      e('l1', 'LeadCaptured', '2026-01-02T00:00:00.000Z', { leadId: 'L1', campaignId: 'C1', attributes: { segment: 'smb' } }),
      e('l2', 'LeadStageChanged', '2026-01-03T00:00:00.000Z', { leadId: 'L1', stage: 'MQL' }),
      e('l3', 'LeadAssigned', '2026-01-03T01:00:00.000Z', { leadId: 'L1', ownerId: 'rep-1' }),
      e('l4', 'LeadStageChanged', '2026-01-05T00:00:00.000Z', { leadId: 'L1', stage: 'SQL' }),
      e('o1', 'OpportunityCreated', '2026-01-06T00:00:00.000Z', { opportunityId: 'O1', leadIds: ['L1'], amount: 1000, stage: 'discovery' }),
      e('o2', 'OpportunityWon', '2026-02-01T00:00:00.000Z', { opportunityId: 'O1' }),
      e('l5', 'LeadTouched', '2026-01-01T00:00:00.000Z', { leadId: 'L2', channel: 'email', touchType: 'email_click' }),
    ]));
    const s = await snapshot(ds);
    expect(s.leads.map((l: { lead_id: string }) => l.lead_id)).toEqual(['L1', 'L2']);
    expect(s.leads[0]).toMatchObject({ source_campaign_id: 'C1', segment: 'smb', owner_id: 'rep-1', current_stage: 'SQL', sal_at: null });
    expect(s.opportunities[0]).toMatchObject({ opportunity_id: 'O1', status: 'won', amount: 1000, stage: 'discovery' });
    expect(s.links).toEqual([expect.objectContaining({ lead_id: 'L1', opportunity_id: 'O1', link_event_id: 'o1' })]);
    expect(s.campaigns[0]).toMatchObject({ campaign_id: 'C1', name: 'Spring', channel: 'social' });
    expect(s.costs).toHaveLength(1);
    const [l1, l2] = s.funnel;
    expect(l1).toMatchObject({ captured_entered: true, channel: 'social' });
    expect(l1.opportunity_at.toISOString()).toBe('2026-01-06T00:00:00.000Z');
    expect(l1.won_at.toISOString()).toBe('2026-02-01T00:00:00.000Z');
    // A lead seen only through a touch reached CAPTURED at its first event, without entering it.
    expect(l2).toMatchObject({ captured_entered: false, channel: 'email' });
  });

  it('the same events twice give the same state', async () => {
    await applyInBatches(projection, events, 100);
    const once = stripVolatile(await snapshot(ds));
    await applyInBatches(projection, events, 37);
    expect(stripVolatile(await snapshot(ds))).toEqual(once);
    expect(once.leads.length).toBe(new Set(events.filter((e) => 'leadId' in e.data).map((e) => (e.data as { leadId: string }).leadId)).size);
  });

  it('shuffled order across subjects gives the same state', async () => {
    await applyInBatches(projection, events, 100);
    const ordered = stripVolatile(await snapshot(ds));
    await projection.reset();
    await applyInBatches(projection, shuffled(events, 99), 53);
    expect(stripVolatile(await snapshot(ds))).toEqual(ordered);
  });

  it('a retraction leaves every read model as if its event had never been accepted: live, in one batch, redelivered', async () => {
    const logRecords = (es: readonly LogEvent[]) => es.map((event, i) => ({ position: String(i + 1), event }));
    const types = ['OpportunityWon', 'LeadCaptured', 'LeadStageChanged', 'LeadConverted', 'OpportunityCreated', 'CampaignCostRecorded'];
    const gone = types.flatMap((t) => events.filter((e) => e.type === t).slice(0, 3));
    const retractions: LogEvent[] = gone.map((e) => retractionOf(e, { reason: 'test', by: 'it', at: '2026-06-01T00:00:00.000Z' }));
    const history = async () => ds.query(`SELECT event_id FROM subject_events WHERE type <> 'EventRetracted' ORDER BY event_id`);
    await applyInBatches(projection, events.filter((e) => !gone.includes(e)), 50);
    const clean = { state: stripVolatile(await snapshot(ds)), history: await history() };
    await projection.reset();
    await applyInBatches(projection, events, 50);
    expect(stripVolatile(await snapshot(ds))).not.toEqual(clean.state);
    await projection.apply(logRecords(retractions));
    await projection.apply(logRecords(gone));
    expect({ state: stripVolatile(await snapshot(ds)), history: await history() }).toEqual(clean);
    expect(await ds.query(`SELECT count(*)::int AS n FROM retracted_events`)).toEqual([{ n: gone.length }]);
    await projection.reset();
    await projection.apply(logRecords([...events, ...retractions]));
    expect({ state: stripVolatile(await snapshot(ds)), history: await history() }).toEqual(clean);
  });

  it('rebuild from zero equals incremental', async () => {
    await applyInBatches(projection, events, 1);
    const incremental = stripVolatile(await snapshot(ds));
    await projection.reset();
    await applyInBatches(projection, events, events.length);
    expect(stripVolatile(await snapshot(ds))).toEqual(incremental);
  });

  it('each declared table is exactly the table the migrations create, and every read model is there', async () => {
    for (const table of [LEADS, OPPORTUNITIES, CAMPAIGNS]) {
      const columns: { column_name: string; data_type: string }[] = await ds.query(
        `SELECT column_name, data_type FROM information_schema.columns
          WHERE table_name = $1 AND table_schema = current_schema() AND column_name <> 'updated_at' ORDER BY ordinal_position`,
        [table.name],
      );
      // Compared as sets: a column added by a later migration comes after updated_at in the table.
      const migrated = columns.map((c) => [c.column_name, c.data_type.replace('timestamp with time zone', 'timestamptz')]);
      expect(migrated.sort()).toEqual([...table.columnTypes].sort());
    }
    for (const model of READ_MODELS) {
      for (const relation of [...Object.keys(model.tables), ...Object.keys(model.views ?? {})]) {
        await expect(ds.query(`SELECT count(*) FROM ${relation}`)).resolves.toBeDefined();
      }
    }
  });

  it('the lead_funnel view applies the CHANNEL rule of libs/domain', async () => {
    const [{ definition }] = await ds.query(`SELECT pg_get_viewdef('lead_funnel'::regclass) AS definition`);
    expect(definition.replace(/\s+/g, ' ')).toContain(`${LEAD_FUNNEL_CHANNEL_SQL} AS channel`);
  });

  it('reset empties the read models and leaves the dead letters to their store', async () => {
    await applyInBatches(projection, events.slice(0, 50), 50);
    await ds.query(`INSERT INTO dead_letters (projection, event_id, position, error, event) VALUES ('postgres', 'x', '1', 'boom', '{}')`);
    await projection.reset();
    for (const model of READ_MODELS) {
      for (const table of Object.keys(model.tables)) expect(await ds.query(`SELECT * FROM ${table}`)).toEqual([]);
    }
    expect(await ds.query(`SELECT event_id FROM dead_letters`)).toEqual([{ event_id: 'x' }]);
    await ds.query(`DELETE FROM dead_letters`);
  });
});
