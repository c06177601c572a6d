import {
  expectEventually,
  filesContaining,
  funnelEventBuilder,
  kafkaTopicDirs,
  kafkaModeEnv,
  realPostgresSchema,
  spawnApp,
  startChdbHttpServer,
  testKafka,
  type ChdbHttpServer,
  type SpawnedApp,
  type TestDatabase,
  type TestKafka,
} from '@funnel/testing';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Review decisions in distributed mode: reporting-api appends them to Kafka through the same
 * EventLog port as ingest (ids reserved in PostgreSQL, first id wins), the projector applies
 * them, and a retried decision adds nothing, as in embedded mode.
 */
describe('weekly review decisions on Kafka', () => {
  jest.setTimeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), 'funnel-review-kafka-'));
  let shim: ChdbHttpServer;
  let db: TestDatabase;
  let kafka: TestKafka;
  let apps: SpawnedApp[] = [];
  let [ingest, reporting]: SpawnedApp[] = [];

  const b = funnelEventBuilder('k');
  const events = [
    b.stage('KL-1', '2026-03-02T09:00:00Z', 'MQL'),
    b.stage('KL-1', '2026-03-03T09:00:00Z', 'SAL'),
    b.created('KO-1', '2026-02-01T00:00:00Z', ['KL-2']),
  ];
  // Personal data (DESIGN §8) rides the same ingest: sealed before it is produced to Kafka.
  const tag = randomBytes(6).toString('hex');
  const contact = { email: `kim.${tag}@example.com`, name: `Kim Park ${tag}`, phone: `+82 2 ${tag}` };
  const captured = { id: `k-contact-${tag}`, type: 'LeadCaptured', occurredAt: '2026-03-01T09:00:00Z', data: { leadId: 'KL-3', contact } };
  const WEEK_OF = '2026-03-09T00:00:00.000Z';

  const status = async () => (await fetch(`${ingest.url}/v1/status`)).json() as Promise<any>;
  const caughtUp = () =>
    expectEventually(async () => {
      const s = await status();
      for (const p of s.projections) expect(p).toMatchObject({ lag: 0 });
      return s;
    }, 60_000, 200);
  const gql = async (query: string, variables: Record<string, unknown> = {}) =>
    (await fetch(`${reporting.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) })).json() as Promise<any>;
  const decide = (subjectId: string, decision: string) =>
    gql(`mutation($s: ID!, $d: ReviewDecision!) { recordReviewDecision(weekOf: "${WEEK_OF}", subjectId: $s, decision: $d) { id subjectKind appliedEventId decidedBy } }`, { s: subjectId, d: decision });

  beforeAll(async () => {
    shim = await startChdbHttpServer({ dataDir: join(dir, 'clickhouse') });
    db = await realPostgresSchema('review');
    kafka = await testKafka();
    const env = kafkaModeEnv(kafka, db.schemaUrl as string, `${shim.url}/funnel_review`);
    apps = await Promise.all([spawnApp('ingest-api', env), spawnApp('reporting-api', env), spawnApp('projector', env)]);
    [ingest, reporting] = apps;
  }, 120_000);
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop()));
    await shim?.close();
    await kafka?.close();
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records, applies and deduplicates decisions through Kafka', async () => {
    const res = await fetch(`${ingest.url}/v1/events`, {
      method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: [...events, captured].map((e) => JSON.stringify(e)).join('\n'),
    });
    expect(res.status).toBe(202);
    await caughtUp();

    const lost = await decide('KO-1', 'ELIMINATE');
    expect(lost.data.recordReviewDecision).toMatchObject({ subjectKind: 'opportunity', decidedBy: 'local' });
    expect(await decide('KO-1', 'ELIMINATE')).toEqual(lost);
    expect((await decide('KL-1', 'RECYCLE')).data.recordReviewDecision.subjectKind).toBe('lead');
    const s = await caughtUp();
    expect(s.accepted).toBe(events.length + 1 + 4);

    const looked = (await gql(`{ opportunity(id: "KO-1") { status lostReason } lead(id: "KL-1") { history { type } } }`)).data;
    expect(looked.opportunity).toEqual({ status: 'lost', lostReason: 'review_eliminated' });
    expect(looked.lead.history.map((e: any) => e.type)).toEqual(['LeadStageChanged', 'LeadStageChanged', 'ReviewDecisionRecorded', 'LeadRecycled']);
    const history = (await gql(`{ reviewHistory(from: "2026-03-01T00:00:00Z", to: "2026-04-01T00:00:00Z") { weekOf decisions { subjectId decision since { type } } } }`)).data.reviewHistory;
    expect(history).toEqual([{ weekOf: WEEK_OF, decisions: [
      { subjectId: 'KO-1', decision: 'ELIMINATE', since: [{ type: 'OpportunityLost' }] },
      { subjectId: 'KL-1', decision: 'RECYCLE', since: [{ type: 'LeadRecycled' }] },
    ] }]);
    // The ClickHouse facts saw the loss too: as of tomorrow KO-1 is closed, so not stalled.
    const later = new Date(Date.now() + 86_400_000).toISOString();
    const stalled = (await gql(`{ stalledOpportunities(asOf: "${later}") { edges { node { id } } } }`)).data.stalledOpportunities.edges;
    expect(stalled).toEqual([]);
  });

  it('never lets a contact\'s plaintext into the Kafka log segments, yet the admin lookup opens it', async () => {
    await caughtUp();
    // No API_KEYS here: the local caller holds every role, admin included.
    expect((await gql(`{ lead(id: "KL-3") { contact { email name phone } } }`)).data.lead.contact).toEqual(contact);
    const scanned = kafkaTopicDirs(kafka.topic);
    expect(scanned.length).toBeGreaterThan(0);
    // Positive control: the event itself is in the segments (read straight from the page cache).
    expect(scanned.flatMap((d) => filesContaining(d, [captured.id])).length).toBeGreaterThan(0);
    expect(scanned.flatMap((d) => filesContaining(d, Object.values(contact)))).toEqual([]);

    // Erasure is served by reporting-api in distributed mode too.
    const erased = await fetch(`${reporting.url}/v1/leads/KL-3/erase`, { method: 'POST' });
    expect(erased.status).toBe(200);
    expect((await gql(`{ lead(id: "KL-3") { contact { email } } }`)).data.lead.contact).toBeNull();
  });
});
