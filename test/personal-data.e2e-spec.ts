import { loadConfig } from '@funnel/config';
import { openRuntime } from '@funnel/runtime';
import { expectEventually, filesContaining, generateFunnelEvents } from '@funnel/testing';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresDeadLetterStore } from '../apps/projector/src/dead-letters/postgres-dead-letter.store';
import { createProjectionRunners } from '../apps/projector/src/projectors';
import { replayProjection } from '../apps/projector/src/replay/replay';
import { startStandalone, type StandaloneApp } from '../apps/standalone/src/standalone.app';

/**
 * Personal data (DESIGN §8) in embedded mode: a capture's contact is sealed before the log, read
 * back by admins only, and erasure forgets it everywhere under DATA_DIR while no count moves.
 */
const SECRETS = { crm: 'crm-secret-0123456789', bi: 'bi-secret-0123456789', mia: 'mia-secret-0123456789' };
const from = '2026-01-01T00:00:00.000Z';
const to = '2026-03-01T00:00:00.000Z';
const asOf = '2026-02-15T00:00:00.000Z';

/** Report URLs (the GraphQL reports as JSON) whose every number erasure must leave alone. */
const REPORTS: Record<string, Record<string, string>> = {
  funnel: { from, to, anchor: 'MQL', windowDays: '30', breakdown: 'CHANNEL' },
  cohorts: { from, to, grain: 'WEEK', target: 'SQL', windowDays: '14', asOf },
  velocity: { from, to, fromStage: 'MQL', toStage: 'OPPORTUNITY', breakdown: 'OWNER' },
  attribution: { from, to, model: 'W_SHAPED', milestone: 'WON', by: 'CHANNEL' },
  slaCompliance: { from, to, asOf, breakdown: 'OWNER' },
  reconciliation: { from, to, breakdown: 'CAMPAIGN' },
  pipelineVelocity: { asOf, trailingDays: '90' },
  campaignPerformance: { from, to, model: 'LINEAR' },
  leadQualityVsHandling: { from, to, breakdown: 'CHANNEL' },
  scoreCalibration: { from, to, bands: '0,50,75' },
  routingCoverage: { from, to, asOf, breakdown: 'OWNER' },
  activityVsMovement: { from, to },
  leads: { from, to, stage: 'CAPTURED' },
  campaigns: {},
};

describe('personal data: sealed contacts, admin lookups, erasure', () => {
  jest.setTimeout(180_000);
  let app: StandaloneApp;
  let running = false;
  const dataDir = mkdtempSync(join(tmpdir(), 'funnel-erase-'));
  // Unique per run, so a match can only come from this run's data.
  const tag = randomBytes(6).toString('hex');
  const ana = { email: `ana.${tag}@example.com`, name: `Ana Lima ${tag}`, phone: `+55 11 ${tag}` };
  const anaBefore = { email: `ana.old.${tag}@example.com`, name: `Ana Old ${tag}`, phone: `+55 00 ${tag}` };
  const bo = { email: `bo.${tag}@example.org`, name: `Bo Berg ${tag}`, phone: `+46 8 ${tag}` };
  const imported = { email: `imp.${tag}@example.net` };
  const plaintexts = [ana, anaBefore, bo, imported].flatMap((c) => Object.values(c));
  let anaKey: Buffer;

  const events = [
    ...generateFunnelEvents({ leads: 60, seed: 11 }),
    { id: 'pd-1', type: 'LeadCaptured', occurredAt: '2026-01-10T09:00:00Z', data: { leadId: 'P-ana', channel: 'webinar', contact: anaBefore } },
    { id: 'pd-2', type: 'LeadCaptured', occurredAt: '2026-01-11T09:00:00Z', data: { leadId: 'P-ana', channel: 'webinar', contact: ana } },
    { id: 'pd-3', type: 'LeadStageChanged', occurredAt: '2026-01-12T09:00:00Z', data: { leadId: 'P-ana', stage: 'MQL' } },
    { id: 'pd-4', type: 'LeadCaptured', occurredAt: '2026-01-13T09:00:00Z', data: { leadId: 'P-bo', channel: 'paid_search', contact: bo } },
    { id: 'pd-5', type: 'LeadCaptured', occurredAt: '2026-01-14T09:00:00Z', data: { leadId: 'P-none', channel: 'paid_search' } },
  ];

  const auth = (secret: string) => ({ authorization: `Bearer ${secret}` });
  const gql = async (secret: string, query: string) => {
    const res = await fetch(`${app.url}/graphql`, { method: 'POST', headers: { ...auth(secret), 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    return (await res.json()) as any;
  };
  const erase = async (leadId: string, secret = SECRETS.mia) => {
    const res = await fetch(`${app.url}/v1/leads/${encodeURIComponent(leadId)}/erase`, { method: 'POST', headers: auth(secret) });
    return { status: res.status, body: (await res.json()) as any };
  };
  const contactOf = async (secret: string, leadId: string) =>
    (await gql(secret, `{ lead(id: "${leadId}") { id channel contact { email name phone } history { type data } } }`)).data.lead;
  const reports = async () => {
    const out: Record<string, unknown> = {};
    for (const [name, params] of Object.entries(REPORTS)) {
      const res = await fetch(`${app.url}/v1/reports/${name}.json?${new URLSearchParams(params)}`, { headers: auth(SECRETS.bi) });
      expect({ name, status: res.status }).toEqual({ name, status: 200 });
      out[name] = await res.json();
    }
    return out;
  };
  const caughtUp = () =>
    expectEventually(async () => {
      const s: any = await (await fetch(`${app.url}/v1/status`, { headers: auth(SECRETS.bi) })).json();
      for (const p of s.projections) expect(p.lag).toBe(0);
      return s;
    }, 60_000);
  /** Every row of every table of the read-model database, as text, but the log's own tables. */
  const postgresRows = async (): Promise<string> => {
    const tables: { table_name: string }[] = await app.runtime.readModel.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
         AND table_name NOT IN ('event_log', 'dead_letters') ORDER BY table_name`,
    );
    expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(['leads', 'subject_events', 'lead_contacts', 'lead_keys']));
    const dumps = await Promise.all(tables.map(async ({ table_name }) => JSON.stringify(await app.runtime.readModel.query(`SELECT * FROM "${table_name}"`))));
    return dumps.join('\n');
  };
  /** Every row of every ClickHouse table and view of the facts database, as text. */
  const clickhouseRows = async (): Promise<string> => {
    const tables = await app.runtime.clickhouse.query<{ name: string }>(`SELECT name FROM system.tables WHERE database = currentDatabase() AND engine NOT IN ('MaterializedView')`);
    expect(tables.length).toBeGreaterThan(5);
    const dumps = await Promise.all(tables.map(async ({ name }) => JSON.stringify(await app.runtime.clickhouse.query(`SELECT * FROM \`${name}\``))));
    return dumps.join('\n');
  };

  beforeAll(async () => {
    app = await startStandalone(
      loadConfig({
        PORT: '0',
        DATA_DIR: dataDir,
        SLA_CHECK_SECONDS: '0',
        API_KEYS: `crm:ingest:${SECRETS.crm},bi:analyst:${SECRETS.bi},mia:admin:${SECRETS.mia}`,
      }),
    );
    running = true;
    const res = await fetch(`${app.url}/v1/events`, {
      method: 'POST',
      headers: { ...auth(SECRETS.crm), 'content-type': 'application/x-ndjson' },
      body: events.map((e) => JSON.stringify(e)).join('\n'),
    });
    expect(res.status).toBe(202);
    expect(((await res.json()) as any).rejected).toEqual([]);
    // An import maps a contact column like any other field, and is sealed the same way.
    const mapping = {
      name: 'pd-import',
      key: ['id'],
      events: [{ role: 'captured', type: 'LeadCaptured', occurredAt: { column: 'at', format: 'ISO' }, fields: { leadId: { column: 'id' }, 'contact.email': { column: 'email' } } }],
    };
    const imp = await fetch(`${app.url}/v1/import`, {
      method: 'POST',
      headers: { ...auth(SECRETS.crm), 'content-type': 'application/json' },
      body: JSON.stringify({ mapping, csv: `id,at,email\nP-imp,2026-01-15T09:00:00Z,${imported.email}\n` }),
    });
    expect(imp.status).toBe(200);
    expect(await imp.json()).toMatchObject({ accepted: 1, rejected: 0 });
    await caughtUp();
  });
  afterAll(async () => {
    if (running) await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('names a bad contact field and its limit', async () => {
    const res = await fetch(`${app.url}/v1/events`, {
      method: 'POST',
      headers: { ...auth(SECRETS.crm), 'content-type': 'application/json' },
      body: JSON.stringify({ events: [{ id: 'pd-bad', type: 'LeadCaptured', occurredAt: from, data: { leadId: 'P-bad', contact: { email: 'x'.repeat(255), fax: '1' } } }] }),
    });
    expect(res.status).toBe(422);
    const body: any = await res.json();
    expect(body.rejected[0].errors.map((e: any) => e.message)).toEqual([
      'data.contact.email must be at most 254 characters (got 255)',
      'data.contact.fax is not a field of contact; expected: email, name, phone',
    ]);
  });

  it('shows the latest contact to an admin only, never in the history', async () => {
    const admin = await contactOf(SECRETS.mia, 'P-ana');
    expect(admin.contact).toEqual(ana);
    expect(admin.history.map((e: any) => e.type)).toEqual(['LeadCaptured', 'LeadCaptured', 'LeadStageChanged']);
    expect(JSON.stringify(admin.history)).not.toMatch(/contact|sealed/);
    expect((await contactOf(SECRETS.mia, 'P-imp')).contact).toEqual({ ...imported, name: null, phone: null });
    expect((await contactOf(SECRETS.mia, 'P-none')).contact).toBeNull();

    const analyst = await gql(SECRETS.bi, `{ lead(id: "P-ana") { id channel contact { email } } }`);
    expect(analyst).toEqual({ data: { lead: { id: 'P-ana', channel: 'webinar', contact: null } } });
  });

  it('keeps only the sealed contact in the log and none in ClickHouse or the other read models', async () => {
    const logged: { data: any }[] = await app.runtime.readModel.query(`SELECT data FROM event_log WHERE event_id IN ('pd-1', 'pd-2', 'pd-4') ORDER BY position`);
    expect(logged.map((r) => Object.keys(r.data.contact))).toEqual([['sealed'], ['sealed'], ['sealed']]);
    const logText = JSON.stringify(await app.runtime.readModel.query(`SELECT * FROM event_log`));
    for (const plain of plaintexts) expect(logText).not.toContain(plain);

    const facts = await clickhouseRows();
    expect(facts).toContain('P-ana'); // the lead is there, its person is not
    for (const needle of [...plaintexts, 'sealed', logged[1].data.contact.sealed]) expect(facts).not.toContain(needle);
    // Nothing on disk holds the plaintext either: ingest sealed it before any store saw it.
    expect(filesContaining(dataDir, plaintexts)).toEqual([]);
  });

  it('erases: the contact is gone for good, every count stays, twice is idempotent, unknown is 404', async () => {
    const before = await reports();
    const sealedAna: string = (await app.runtime.readModel.query(`SELECT data FROM event_log WHERE event_id = 'pd-2'`))[0].data.contact.sealed;
    [{ data_key: anaKey }] = await app.runtime.readModel.query(`SELECT data_key FROM lead_keys WHERE lead_id = 'P-ana'`);
    expect(anaKey).toHaveLength(32);

    const first = await erase('P-ana');
    expect(first).toEqual({ status: 200, body: { leadId: 'P-ana', erasedAt: expect.any(String), erasedBy: 'mia', alreadyErased: false } });
    const again = await erase('P-ana');
    expect(again).toEqual({ status: 200, body: { ...first.body, alreadyErased: true } });
    expect(await erase('P-nobody')).toEqual({
      status: 404,
      body: { error: 'LEAD_NOT_FOUND', message: 'lead "P-nobody" is not known: no event of it has been projected', leadId: 'P-nobody' },
    });
    expect((await erase('P-bo', SECRETS.bi)).status).toBe(403);
    // A lead without a contact can be erased too (a tombstone keeps later contacts out).
    expect((await erase('P-none')).status).toBe(200);

    const lookedUp = await contactOf(SECRETS.mia, 'P-ana');
    expect(lookedUp).toMatchObject({ id: 'P-ana', channel: 'webinar', contact: null });
    expect((await contactOf(SECRETS.mia, 'P-bo')).contact).toEqual(bo);
    expect(await reports()).toEqual(before);

    // The log is immutable: its sealed copy stays, but no key opens it any more.
    const logged = await app.runtime.readModel.query(`SELECT count(*)::int AS n FROM event_log WHERE data->'contact'->>'sealed' = $1`, [sealedAna]);
    expect(logged).toEqual([{ n: 1 }]);
    expect(await app.runtime.readModel.query(`SELECT data_key, erased_by FROM lead_keys WHERE lead_id = 'P-ana'`)).toEqual([{ data_key: null, erased_by: 'mia' }]);
    const rows = await postgresRows();
    for (const needle of [...Object.values(ana), ...Object.values(anaBefore), sealedAna]) expect(rows).not.toContain(needle);
    expect(rows).toContain('P-ana');

    // A new capture of the erased person stores no contact.
    const res = await fetch(`${app.url}/v1/events`, {
      method: 'POST',
      headers: { ...auth(SECRETS.crm), 'content-type': 'application/json' },
      body: JSON.stringify({ events: [{ id: 'pd-6', type: 'LeadCaptured', occurredAt: '2026-01-20T09:00:00Z', data: { leadId: 'P-ana', contact: ana } }] }),
    });
    expect(res.status).toBe(202);
    await caughtUp();
    expect((await app.runtime.readModel.query(`SELECT data FROM event_log WHERE event_id = 'pd-6'`))[0].data).toEqual({ leadId: 'P-ana' });
    expect((await contactOf(SECRETS.mia, 'P-ana')).contact).toBeNull();
  });

  it('keeps the contact gone through a replay and leaves neither it nor its key in any file under DATA_DIR', async () => {
    running = false;
    await app.close();
    // A replay rebuilds lead_contacts from the log's sealed copies: the erased lead's key is gone,
    // so its contact is not projected again (lead_keys is not a read model; a replay leaves it).
    const rt = await openRuntime(loadConfig({ DATA_DIR: dataDir }));
    try {
      const [runner] = createProjectionRunners(rt, ['postgres'], new PostgresDeadLetterStore(rt.readModel));
      await replayProjection(rt.eventLog, runner, () => {}, 20);
      expect(await rt.readModel.query(`SELECT lead_id FROM lead_contacts ORDER BY lead_id`)).toEqual([{ lead_id: 'P-bo' }, { lead_id: 'P-imp' }]);
    } finally {
      await rt.close();
    }

    // Every byte of every file, PGlite's and chdb's included, with the stores closed (flushed).
    // The plaintext never reached a store at all. The erased key was in lead_keys' pages (old row
    // versions stay until a VACUUM FULL rewrites the table) and in the WAL (until its segment is
    // deleted): eraseLead does both. Positive control: the files do hold the lead ids.
    expect(filesContaining(dataDir, ['P-bo']).length).toBeGreaterThan(0);
    expect(filesContaining(dataDir, [...plaintexts, anaKey, anaKey.toString('hex')]).map((f) => ({ ...f, file: f.file.slice(dataDir.length) }))).toEqual([]);

    app = await startStandalone(loadConfig({ PORT: '0', DATA_DIR: dataDir, SLA_CHECK_SECONDS: '0', API_KEYS: `mia:admin:${SECRETS.mia},bi:analyst:${SECRETS.bi}` }));
    running = true;
    expect((await contactOf(SECRETS.mia, 'P-bo')).contact).toEqual(bo);
    expect((await contactOf(SECRETS.mia, 'P-ana')).contact).toBeNull();
  });
});
