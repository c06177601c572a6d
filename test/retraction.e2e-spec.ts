import { loadConfig } from '@funnel/config';
import { openRuntime } from '@funnel/runtime';
import { expectEventually, generateFunnelEvents } from '@funnel/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresDeadLetterStore } from '../apps/projector/src/dead-letters/postgres-dead-letter.store';
import { createProjectionRunners } from '../apps/projector/src/projectors';
import { replayProjection } from '../apps/projector/src/replay/replay';
import { startStandalone, type StandaloneApp } from '../apps/standalone/src/standalone.app';
import { reportQueries } from './report-queries';

/**
 * Corrections without deletion (DESIGN §2) in embedded mode: after POST /v1/events/{id}/retract
 * every report answers what a clean server that never got the retracted events answers, the log
 * keeps both, and a replay of both projections gives the same answers again.
 */
const SECRETS = { crm: 'crm-secret-0123456789', bi: 'bi-secret-0123456789', mia: 'mia-secret-0123456789' };
const from = '2026-01-01T00:00:00.000Z';
const to = '2026-04-01T00:00:00.000Z';
const asOf = '2026-03-15T00:00:00.000Z';

/** The report URLs (JSON), ClickHouse and PostgreSQL reports alike. */
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
  routingCoverage: { from, to, asOf, breakdown: 'OWNER' },
  activityVsMovement: { from, to },
  leads: { from, to, stage: 'CAPTURED' },
  campaigns: {},
};

const at = (day: number, hour = 9) => `2026-02-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00.000Z`;
/** A lead that becomes an opportunity, and the events about it that were sent by mistake. */
const own = [
  { id: 'rt-cap', type: 'LeadCaptured', occurredAt: at(2), data: { leadId: 'RT-1', channel: 'webinar' } },
  { id: 'rt-mql', type: 'LeadStageChanged', occurredAt: at(3), data: { leadId: 'RT-1', stage: 'MQL' } },
  { id: 'rt-sql', type: 'LeadStageChanged', occurredAt: at(4), data: { leadId: 'RT-1', stage: 'SQL' } },
  { id: 'rt-conv', type: 'LeadConverted', occurredAt: at(5), data: { leadId: 'RT-1', opportunityId: 'RT-O' } },
  { id: 'rt-opp', type: 'OpportunityCreated', occurredAt: at(5, 10), data: { opportunityId: 'RT-O', amount: 1000, leadIds: ['RT-1'] } },
  { id: 'rt-won', type: 'OpportunityWon', occurredAt: at(20), data: { opportunityId: 'RT-O', amount: 100000 } },
  { id: 'rt-cap2', type: 'LeadCaptured', occurredAt: at(6), data: { leadId: 'RT-2', channel: 'paid_search' } },
];
/** The mistyped win (wrong amount), the stage change sent for the wrong lead, a lead that does not exist. */
const RETRACTED = ['rt-won', 'rt-sql', 'rt-cap2'];

const auth = (secret: string) => ({ authorization: `Bearer ${secret}` });

describe('retraction: corrections without deletion', () => {
  jest.setTimeout(300_000);
  const events = [...generateFunnelEvents({ leads: 40, seed: 21 }), ...own];
  const dirs: string[] = [];
  let app: StandaloneApp | undefined;

  const start = async (dataDir: string) => {
    app = await startStandalone(
      loadConfig({ PORT: '0', DATA_DIR: dataDir, SLA_CHECK_SECONDS: '0', API_KEYS: `crm:ingest:${SECRETS.crm},bi:analyst:${SECRETS.bi},mia:admin:${SECRETS.mia}` }),
    );
    return app;
  };
  const stop = async () => {
    await app?.close();
    app = undefined;
  };
  const url = () => app!.url;
  const post = async (batch: readonly object[]) => {
    const res = await fetch(`${url()}/v1/events`, {
      method: 'POST',
      headers: { ...auth(SECRETS.crm), 'content-type': 'application/x-ndjson' },
      body: batch.map((e) => JSON.stringify(e)).join('\n'),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const retract = async (id: string, body: unknown = { reason: 'sent by mistake' }, secret = SECRETS.mia) => {
    const res = await fetch(`${url()}/v1/events/${encodeURIComponent(id)}/retract`, {
      method: 'POST',
      headers: { ...auth(secret), 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const status = async () => (await (await fetch(`${url()}/v1/status`, { headers: auth(SECRETS.bi) })).json()) as any;
  const caughtUp = () =>
    expectEventually(async () => {
      const s = await status();
      for (const p of s.projections) expect({ name: p.name, lag: p.lag }).toEqual({ name: p.name, lag: 0 });
      return s;
    }, 60_000);
  const gql = async (query: string) => {
    const res = await fetch(`${url()}/graphql`, { method: 'POST', headers: { ...auth(SECRETS.bi), 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    return (await res.json()) as any;
  };
  /** Every report's answer, and the lookups of the subjects the retractions touch. */
  const answers = async () => {
    const out: Record<string, unknown> = {};
    for (const [name, params] of Object.entries(REPORTS)) {
      const res = await fetch(`${url()}/v1/reports/${name}.json?${new URLSearchParams(params)}`, { headers: auth(SECRETS.bi) });
      expect({ name, status: res.status }).toEqual({ name, status: 200 });
      out[name] = await res.json();
    }
    const leadId = (events.find((e) => e.type === 'LeadCaptured')!.data as { leadId: string }).leadId;
    for (const q of reportQueries({ from, to, asOf, leadId })) out[q] = await gql(q);
    // The retracted subjects, without their histories (the retracted one shows its EventRetracted).
    for (const q of [
      `{ lead(id: "RT-1") { id stage stageEntries { stage enteredAt } } }`,
      `{ lead(id: "RT-2") { id } }`,
      `{ opportunity(id: "RT-O") { id stage amount } }`,
    ]) out[q] = await gql(q);
    return out;
  };

  afterAll(async () => {
    await stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const newDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'funnel-retract-'));
    dirs.push(d);
    return d;
  };

  let clean: Record<string, unknown>;
  it('a clean server gets the events without the retracted ones', async () => {
    await start(newDir());
    expect((await post(events.filter((e) => !RETRACTED.includes(e.id)))).status).toBe(202);
    await caughtUp();
    clean = await answers();
    await stop();
  });

  const dataDir = newDir();
  it('after the retractions every report answers what the clean server answers', async () => {
    await start(dataDir);
    expect((await post(events)).body.rejected).toEqual([]);
    await caughtUp();
    const before = await answers();
    expect(before).not.toEqual(clean);

    for (const id of RETRACTED) expect(await retract(id)).toEqual({ status: 202, body: { id: `retract:${id}`, eventId: id, status: 'accepted' } });
    await caughtUp();
    expect(await answers()).toEqual(clean);
    expect((await status()).retracted).toBe(RETRACTED.length);
    expect((await gql('{ status { retracted } }')).data.status.retracted).toBe(RETRACTED.length);
    // The history hides the retracted event and keeps the retraction, with who and why.
    const history = (await gql(`{ lead(id: "RT-1") { history { id type } } }`)).data.lead.history.map((h: { id: string }) => h.id);
    expect(history).toEqual(expect.arrayContaining(['rt-cap', 'rt-mql', 'retract:rt-sql']));
    expect(history).not.toContain('rt-sql');
  });

  it('retracting twice changes nothing; the retracted id stays taken', async () => {
    expect(await retract('rt-won')).toEqual({ status: 200, body: { id: 'retract:rt-won', eventId: 'rt-won', status: 'duplicate' } });
    expect((await post([own.find((e) => e.id === 'rt-won')!])).body.results).toEqual([{ index: 0, id: 'rt-won', status: 'duplicate' }]);
    await caughtUp();
    expect(await answers()).toEqual(clean);
    expect((await status()).retracted).toBe(RETRACTED.length);
  });

  it('refuses what cannot be retracted, and EventRetracted from outside', async () => {
    expect(await retract('no-such-event')).toMatchObject({ status: 404, body: { error: 'EVENT_NOT_FOUND', eventId: 'no-such-event' } });
    expect((await retract('no-such-event')).body.message).toContain('"no-such-event"');
    expect(await retract('retract:rt-won')).toMatchObject({ status: 422, body: { error: 'NOT_RETRACTABLE' } });
    expect(await retract('rt-opp', {})).toMatchObject({ status: 400, body: { field: 'reason' } });
    expect(await retract('rt-opp', { reason: '' })).toMatchObject({ status: 400 });
    expect((await retract('rt-opp', { reason: 'x' }, SECRETS.bi)).status).toBe(403);
    const outside = await post([{ id: 'x-1', type: 'EventRetracted', occurredAt: at(9), data: { eventId: 'rt-opp', reason: 'x' } }]);
    expect(outside.status).toBe(422);
    expect(JSON.stringify(outside.body.rejected)).toContain('EventRetracted');
  });

  it('the log keeps both, with who retracted', async () => {
    const rows: { id: string; data: any }[] = await app!.runtime.readModel.query(
      `SELECT event_id AS id, data FROM event_log WHERE event_id = ANY($1::text[])`,
      [[...RETRACTED, ...RETRACTED.map((id) => `retract:${id}`)]],
    );
    expect(rows.map((r) => r.id).sort()).toEqual([...RETRACTED, ...RETRACTED.map((id) => `retract:${id}`)].sort());
    expect(rows.find((r) => r.id === 'retract:rt-won')!.data).toEqual({
      eventId: 'rt-won', reason: 'sent by mistake', by: 'mia', retractedType: 'OpportunityWon', subjectKind: 'opportunity', subjectId: 'RT-O',
    });
  });

  it('a replay of both projections gives the same answers', async () => {
    await stop();
    const rt = await openRuntime(loadConfig({ DATA_DIR: dataDir }));
    try {
      for (const name of ['postgres', 'clickhouse'] as const) {
        const [runner] = createProjectionRunners(rt, [name], new PostgresDeadLetterStore(rt.readModel));
        await replayProjection(rt.eventLog, runner, () => {}, 20);
      }
    } finally {
      await rt.close();
    }
    await start(dataDir);
    await caughtUp();
    expect(await answers()).toEqual(clean);
    expect((await status()).retracted).toBe(RETRACTED.length);
  });
});
