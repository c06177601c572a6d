import type { AlertConfig } from '@funnel/config';
import type { FunnelEvent, LogEvent } from '@funnel/contracts';
import { migrateEventLog, PostgresEventLog } from '@funnel/event-log';
import { insertFacts, truncateFacts } from '@funnel/facts';
import { openReadModel, poolOf } from '@funnel/persistence';
import { realPostgresSchema, useParityFacts, type TestDatabase } from '@funnel/testing';
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { PostgresProjection } from '../postgres/postgres.projection';
import { ALERT_MAX_ATTEMPTS, AlertDeliverer } from './alert-deliverer';
import { SlaChecker } from './sla-checker';

const T0 = Date.parse('2026-03-02T10:00:00.000Z');
const MIN = 60_000;
const at = (minutes: number) => new Date(T0 + minutes * MIN);
const e = (id: string, type: string, minutes: number, data: object) =>
  ({ id, type, occurredAt: at(minutes).toISOString(), schemaVersion: 1, data }) as FunnelEvent;

/** MQL at T0 with the default limit of 1440 minutes: L1 never followed up, L2 in time, L3 late (after the deadline, before twice it). */
const BUSINESS: FunnelEvent[] = [
  e('c1', 'LeadCaptured', 0, { leadId: 'L1', ownerId: 'rep-1' }),
  e('m1', 'LeadStageChanged', 0, { leadId: 'L1', stage: 'MQL' }),
  e('o1', 'LeadAssigned', 5, { leadId: 'L1', ownerId: 'rep-9' }),
  e('m2', 'LeadStageChanged', 0, { leadId: 'L2', stage: 'MQL' }),
  e('a2', 'LeadActivityLogged', 60, { leadId: 'L2', activityType: 'call' }),
  e('m3', 'LeadStageChanged', 0, { leadId: 'L3', stage: 'MQL' }),
  e('a3', 'LeadActivityLogged', 1500, { leadId: 'L3', activityType: 'email' }),
];

/** A local webhook receiver that fails the first `failures` requests of each delivery id. */
function receiver(failures: number) {
  const requests: { delivery: string; signature?: string; body: string; ok: boolean }[] = [];
  const seen = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const delivery = String(req.headers['x-funnel-delivery']);
      const n = (seen.get(delivery) ?? 0) + 1;
      seen.set(delivery, n);
      const ok = n > failures;
      requests.push({ delivery, signature: req.headers['x-funnel-signature'] as string | undefined, body, ok });
      res.writeHead(ok ? 204 : 503).end();
    });
  });
  return {
    requests,
    start: () => new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`))),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('SLA checker and alert deliveries (PostgreSQL server, embedded ClickHouse, injected clock)', () => {
  const facts = useParityFacts();
  let db: TestDatabase;
  let ds: DataSource;
  let log: PostgresEventLog;
  let now = at(0);
  const clock = () => now;
  const hook = receiver(2);
  let alerts: AlertConfig;

  const logged = async (): Promise<LogEvent[]> =>
    (await ds.query(`SELECT event_id AS id, type, data FROM event_log WHERE type = 'LeadSlaBreached' ORDER BY event_id`)) as LogEvent[];
  // The test writes the facts itself, so they are always caught up.
  const checker = () => new SlaChecker({ eventLog: log, readModel: ds, clickhouse: facts.ch, alerts, now: clock, factsSettled: async () => 0 });
  const deliveries = async () =>
    (await ds.query(`SELECT event_id, status, attempts, reason FROM alert_deliveries ORDER BY event_id`)) as { event_id: string; status: string; attempts: number; reason: string | null }[];

  beforeAll(async () => {
    db = await realPostgresSchema('sla');
    ds = await openReadModel({ url: db.url, schema: db.schema, poolSize: db.poolSize });
    await migrateEventLog(poolOf(ds));
    log = new PostgresEventLog(poolOf(ds));
    alerts = { slaCheckSeconds: 30, maxAgeHours: 24, webhookUrl: await hook.start(), webhookSecret: 'shh' };
    await log.append(BUSINESS);
    await truncateFacts(facts.ch);
    await insertFacts(facts.ch, BUSINESS);
  });
  afterAll(async () => {
    await log?.close();
    await ds?.destroy();
    await db?.close();
    await hook.stop();
  });

  it('raises nothing before the deadline, BREACHED once it has passed, ESCALATED at twice the limit', async () => {
    now = at(1440);
    expect(await checker().check()).toBe(0);
    now = at(1441);
    expect(await checker().check()).toBe(2);
    expect((await logged()).map((x) => x.id)).toEqual(['sla:L1:BREACHED', 'sla:L3:BREACHED']);
    expect((await logged())[0]).toMatchObject({ data: { leadId: 'L1', level: 'BREACHED', deadline: at(1440).toISOString(), definitionVersion: 1 } });
    now = at(2881);
    // L3 was followed up before twice the limit: it never escalates.
    expect(await checker().check()).toBe(1);
    expect((await logged()).map((x) => x.id)).toEqual(['sla:L1:BREACHED', 'sla:L1:ESCALATED', 'sla:L3:BREACHED']);
  });

  it('two checkers at once, a restart and a replay make no second event and no second delivery', async () => {
    const [a, b] = await Promise.all([checker().check(), checker().check()]);
    expect(a + b).toBe(0);
    expect(await checker().check()).toBe(0);
    // Replay: the postgres projection rebuilt from the whole log shows each breach once in the lead's history.
    const projection = new PostgresProjection(ds);
    await projection.reset();
    const records = (await ds.query(`SELECT position::text AS position, event_id, type, occurred_at, schema_version, data FROM event_log ORDER BY position`)).map(
      (r: { position: string; event_id: string; type: string; occurred_at: Date; schema_version: number; data: object }) => ({
        position: r.position,
        event: { id: r.event_id, type: r.type, occurredAt: r.occurred_at.toISOString(), schemaVersion: r.schema_version, data: r.data } as LogEvent,
      }),
    );
    await projection.apply(records);
    await projection.apply(records);
    const history = await ds.query(`SELECT event_id FROM subject_events WHERE subject_id = 'L1' AND type = 'LeadSlaBreached' ORDER BY event_id`);
    expect(history).toEqual([{ event_id: 'sla:L1:BREACHED' }, { event_id: 'sla:L1:ESCALATED' }]);
    expect(await checker().check()).toBe(0);
    expect((await deliveries()).map((d) => d.event_id)).toEqual(['sla:L1:BREACHED', 'sla:L1:ESCALATED', 'sla:L3:BREACHED']);
  });

  it('delivers each breach once, signed, retrying with backoff, with two workers at once', async () => {
    const workers = [new AlertDeliverer({ readModel: ds, alerts, now: clock }), new AlertDeliverer({ readModel: ds, alerts, now: clock })];
    const round = async () => (await Promise.all(workers.map((w) => w.deliverDue()))).reduce((s, n) => s + n, 0);
    expect(await round()).toBe(3); // first tries: the receiver fails them
    expect(await round()).toBe(0); // not due again until the backoff has passed
    now = new Date(now.getTime() + 10_000);
    expect(await round()).toBe(3); // second tries fail too
    now = new Date(now.getTime() + 19_999);
    expect(await round()).toBe(0);
    now = new Date(now.getTime() + 1);
    expect(await round()).toBe(3); // third tries succeed
    now = new Date(now.getTime() + 3_600_000);
    expect(await round()).toBe(0);

    const ok = hook.requests.filter((r) => r.ok);
    expect(ok.map((r) => r.delivery).sort()).toEqual(['sla:L1:BREACHED', 'sla:L1:ESCALATED', 'sla:L3:BREACHED']);
    expect(hook.requests).toHaveLength(9);
    for (const r of hook.requests) expect(r.signature).toBe(`sha256=${createHmac('sha256', 'shh').update(r.body).digest('hex')}`);
    expect(JSON.parse(ok.find((r) => r.delivery === 'sla:L1:BREACHED')!.body)).toEqual({
      id: 'sla:L1:BREACHED',
      type: 'LeadSlaBreached',
      leadId: 'L1',
      level: 'BREACHED',
      deadline: at(1440).toISOString(),
      definitionVersion: 1,
      ownerId: 'rep-9',
      mqlAt: at(0).toISOString(),
    });
    expect((await deliveries()).map((d) => [d.status, d.attempts])).toEqual([
      ['DELIVERED', 3],
      ['DELIVERED', 3],
      ['DELIVERED', 3],
    ]);
    const attempts = await ds.query(`SELECT attempt, http_status, error FROM alert_delivery_attempts WHERE event_id = 'sla:L1:BREACHED' ORDER BY attempt`);
    expect(attempts).toEqual([
      { attempt: 1, http_status: 503, error: 'HTTP 503' },
      { attempt: 2, http_status: 503, error: 'HTTP 503' },
      { attempt: 3, http_status: 204, error: null },
    ]);
  });

  it('records without notifying a breach found more than ALERT_MAX_AGE_HOURS after its deadline', async () => {
    // An imported backlog: MQL two days before now, never followed up; both levels are older than 24 h.
    const old = [e('m4', 'LeadStageChanged', -5000, { leadId: 'L4', stage: 'MQL' })];
    await log.append(old);
    await insertFacts(facts.ch, old);
    expect(await checker().check()).toBe(2);
    const rows = (await deliveries()).filter((d) => d.event_id.startsWith('sla:L4:'));
    expect(rows.map((d) => [d.status, d.attempts])).toEqual([
      ['SKIPPED', 0],
      ['SKIPPED', 0],
    ]);
    expect(rows[0].reason).toBe('deadline more than 24 h before it was found');
    const before = hook.requests.length;
    await new AlertDeliverer({ readModel: ds, alerts, now: clock }).deliverDue();
    expect(hook.requests).toHaveLength(before);
  });

  it('gives up after the last try when the receiver never answers, each try recorded', async () => {
    const fresh = [e('m5', 'LeadStageChanged', (now.getTime() - T0) / MIN - 1441, { leadId: 'L5', stage: 'MQL' })];
    await log.append(fresh);
    await insertFacts(facts.ch, fresh);
    expect(await checker().check()).toBe(1);
    // Port 1 on loopback refuses the connection.
    const refused = new AlertDeliverer({ readModel: ds, alerts: { ...alerts, webhookUrl: 'http://127.0.0.1:1/hook' }, now: clock });
    for (let i = 0; i < ALERT_MAX_ATTEMPTS + 2; i++) {
      await refused.deliverDue();
      now = new Date(now.getTime() + 11 * MIN);
    }
    expect((await deliveries()).find((d) => d.event_id === 'sla:L5:BREACHED')).toMatchObject({ status: 'FAILED', attempts: ALERT_MAX_ATTEMPTS });
    const tries = await ds.query(`SELECT attempt, http_status FROM alert_delivery_attempts WHERE event_id = 'sla:L5:BREACHED' ORDER BY attempt`);
    expect(tries).toEqual(Array.from({ length: ALERT_MAX_ATTEMPTS }, (_, i) => ({ attempt: i + 1, http_status: null })));
  });
});
