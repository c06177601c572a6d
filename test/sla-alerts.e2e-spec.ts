import { loadConfig } from '@funnel/config';
import {
  expectEventually,
  kafkaModeEnv,
  realPostgresSchema,
  spawnApp,
  startChdbHttpServer,
  testClient,
  testKafka,
  type ChdbHttpServer,
  type SpawnedApp,
  type TestDatabase,
  type TestKafka,
} from '@funnel/testing';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { startStandalone, type StandaloneApp } from '../apps/standalone/src/standalone.app';

/**
 * DESIGN §7 end to end, on the wall clock: an MQL whose 1440-minute clock ran out a minute ago is
 * alerted once, signed; a backlog MQL of five days ago gets both breach events but pages nobody;
 * a lead followed up in time gets none. Ingest refuses the derived type.
 */
const MIN = 60_000;
const ago = (minutes: number) => new Date(Date.now() - minutes * MIN).toISOString();
const ev = (id: string, type: string, occurredAt: string, data: object) => ({ id, type, occurredAt, data });
const backlog = (p: string) => [
  ev(`${p}-1`, 'LeadStageChanged', ago(1441), { leadId: `${p}-new`, stage: 'MQL' }),
  ev(`${p}-2`, 'LeadAssigned', ago(1440), { leadId: `${p}-new`, ownerId: 'rep-7' }),
  ev(`${p}-3`, 'LeadStageChanged', ago(5 * 1440), { leadId: `${p}-old`, stage: 'MQL' }),
  ev(`${p}-4`, 'LeadStageChanged', ago(1441), { leadId: `${p}-ok`, stage: 'MQL' }),
  ev(`${p}-5`, 'LeadActivityLogged', ago(1400), { leadId: `${p}-ok`, activityType: 'call' }),
];

function receiver() {
  const requests: { delivery: string; signature: string; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      requests.push({ delivery: String(req.headers['x-funnel-delivery']), signature: String(req.headers['x-funnel-signature']), body });
      res.writeHead(200).end('ok');
    });
  });
  return {
    requests,
    start: () => new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`))),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const DELIVERIES = `{ alertDeliveries(first: 10) { totalCount edges { node { id status reason level attemptCount } } } }`;

async function expectAlerted(client: ReturnType<typeof testClient>, hook: ReturnType<typeof receiver>, p: string) {
  await expectEventually(async () => {
    const { alertDeliveries } = await client.data(DELIVERIES);
    expect(alertDeliveries.edges.map((e: any) => [e.node.id, e.node.status]).sort()).toEqual([
      [`sla:${p}-new:BREACHED`, 'DELIVERED'],
      [`sla:${p}-old:BREACHED`, 'SKIPPED'],
      [`sla:${p}-old:ESCALATED`, 'SKIPPED'],
    ]);
  }, 90_000);
  expect(hook.requests.map((r) => r.delivery)).toEqual([`sla:${p}-new:BREACHED`]);
  const [sent] = hook.requests;
  expect(sent.signature).toBe(`sha256=${createHmac('sha256', 'e2e-secret').update(sent.body).digest('hex')}`);
  expect(JSON.parse(sent.body)).toMatchObject({ leadId: `${p}-new`, level: 'BREACHED', ownerId: 'rep-7', definitionVersion: 1 });
  const { lead } = await client.data(`{ lead(id: "${p}-old") { history { id type } } }`);
  expect(lead.history.filter((e: any) => e.type === 'LeadSlaBreached').map((e: any) => e.id)).toEqual([`sla:${p}-old:BREACHED`, `sla:${p}-old:ESCALATED`]);
}

async function expectRefused(client: ReturnType<typeof testClient>) {
  const { status, body } = await client.postEvents([ev('x-1', 'LeadSlaBreached', ago(0), { leadId: 'x', level: 'BREACHED', deadline: ago(0), definitionVersion: 1 })]);
  expect(status).toBe(422);
  expect(body.rejected[0].errors[0]).toEqual({ path: 'type', message: 'type "LeadSlaBreached" is written only by the SLA breach checker and is not accepted from outside' });
}

describe('SLA breach alerts, embedded mode', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'funnel-sla-'));
  const hook = receiver();
  let app: StandaloneApp | undefined;
  const client = testClient(() => app!.url);

  afterAll(async () => {
    await app?.close();
    await hook.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('alerts a fresh breach once, records an old one, and refuses the type from outside', async () => {
    const url = await hook.start();
    app = await startStandalone(loadConfig({ PORT: '0', DATA_DIR: dataDir, SLA_CHECK_SECONDS: '1', ALERT_WEBHOOK_URL: url, ALERT_WEBHOOK_SECRET: 'e2e-secret' }));
    await expectRefused(client);
    expect((await client.postEvents(backlog('E'))).status).toBe(202);
    await expectAlerted(client, hook, 'E');
  }, 150_000);
});

describe('SLA breach alerts, Kafka mode with two projectors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'funnel-sla-kafka-'));
  const hook = receiver();
  let shim: ChdbHttpServer;
  let db: TestDatabase;
  let kafka: TestKafka;
  const apps: SpawnedApp[] = [];
  let reporting: SpawnedApp | undefined;
  let ingest: SpawnedApp | undefined;
  const client = testClient(() => reporting!.url);

  beforeAll(async () => {
    shim = await startChdbHttpServer({ dataDir: dir });
    db = await realPostgresSchema('slak');
    kafka = await testKafka();
  }, 60_000);
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.stop()));
    await hook.stop();
    await shim?.close();
    await kafka?.close();
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('two projectors check at once: one event and one delivery per breach', async () => {
    const env = {
      ...kafkaModeEnv(kafka, db.schemaUrl as string, `${shim.url}/funnel`),
      SLA_CHECK_SECONDS: '1',
      ALERT_WEBHOOK_URL: await hook.start(),
      ALERT_WEBHOOK_SECRET: 'e2e-secret',
    };
    const start = async (main: 'ingest-api' | 'projector' | 'reporting-api') => {
      const a = await spawnApp(main, env);
      apps.push(a);
      return a;
    };
    ingest = await start('ingest-api');
    reporting = await start('reporting-api');
    await start('projector');
    await start('projector');
    await expectRefused(testClient(() => ingest!.url));
    expect((await testClient(() => ingest!.url).postEvents(backlog('K'))).status).toBe(202);
    await expectAlerted(client, hook, 'K');
    // Each id was reserved once in the log, however many checks both projectors ran.
    const pool = new Pool({ connectionString: db.schemaUrl });
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM ingested_event_ids WHERE event_id LIKE 'sla:%'`);
    await pool.end();
    expect(rows).toEqual([{ n: 3 }]);
  }, 150_000);
});
