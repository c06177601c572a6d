import { validateEvent, type FunnelEvent } from '@funnel/contracts';
import { openReadModel } from '@funnel/persistence';
import { pgliteDatabase, realPostgresSchema, shuffled, type TestDatabase } from '@funnel/testing';
import type { DataSource } from 'typeorm';
import { applyReadModels, READ_MODELS } from '../read-models';
import { eraseLead, openContact, sealContacts } from './contact-vault';

/** A LeadCaptured as ingest validates it (plaintext contact), before sealing. */
const captured = (id: string, leadId: string, occurredAt: string, contact?: Record<string, string>): FunnelEvent => {
  const result = validateEvent({ id, type: 'LeadCaptured', occurredAt, data: { leadId, ...(contact ? { contact } : {}) } }, { reportingCurrency: 'USD' });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.event;
};

describe.each([
  ['PostgreSQL server', () => realPostgresSchema('contacts'), false],
  ['PGlite', () => pgliteDatabase(), true],
])('sealed contacts and erasure on %s', (_label, open: () => Promise<TestDatabase>, forgetWal: boolean) => {
  let db: TestDatabase;
  let ds: DataSource;
  const plain = [
    captured('c-1', 'L-1', '2026-01-01T00:00:00Z', { email: 'old@example.com' }),
    captured('c-2', 'L-1', '2026-01-02T00:00:00Z', { email: 'new@example.com', name: 'Nia' }),
    captured('c-3', 'L-2', '2026-01-01T00:00:00Z', { phone: '+1 555 0100' }),
    captured('c-4', 'L-3', '2026-01-01T00:00:00Z'),
    // Same time as c-3: the larger event id is the later one, in SQL and in TypeScript alike.
    captured('c-5', 'L-2', '2026-01-01T00:00:00Z', { phone: '+1 555 0199' }),
  ];
  let sealed: FunnelEvent[];

  const apply = (events: readonly FunnelEvent[]) => ds.transaction((em) => applyReadModels(em, events));
  const reset = () => ds.transaction(async (em) => { for (const m of READ_MODELS) await m.reset(em); });
  const contacts = async () => ({
    L1: await openContact(ds, 'L-1'),
    L2: await openContact(ds, 'L-2'),
    L3: await openContact(ds, 'L-3'),
    rows: await ds.query(`SELECT lead_id, event_id FROM lead_contacts ORDER BY lead_id`),
  });
  const expected = {
    L1: { email: 'new@example.com', name: 'Nia' },
    L2: { phone: '+1 555 0199' },
    L3: null,
    rows: [{ lead_id: 'L-1', event_id: 'c-2' }, { lead_id: 'L-2', event_id: 'c-5' }],
  };

  beforeAll(async () => {
    db = await open();
    ds = await openReadModel({ url: db.url, schema: db.schema, poolSize: db.poolSize });
    // Two ingests of the same leads (c-1 alone, then all): one key per lead, which opens both.
    const [first] = await sealContacts(ds, [plain[0]]);
    sealed = await sealContacts(ds, plain);
    sealed[0] = first;
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.close();
  });
  beforeEach(() => reset());

  it('seals only the contact and drops an empty one', async () => {
    expect(sealed.map((e) => (e.data as { contact?: unknown }).contact)).toEqual([
      { sealed: expect.stringMatching(/^v1\./) },
      { sealed: expect.stringMatching(/^v1\./) },
      { sealed: expect.stringMatching(/^v1\./) },
      undefined,
      { sealed: expect.stringMatching(/^v1\./) },
    ]);
    expect(JSON.stringify(sealed)).not.toMatch(/example\.com|555|Nia/);
    const [emptied] = await sealContacts(ds, [captured('c-9', 'L-9', '2026-01-01T00:00:00Z', {})]);
    expect(emptied.data).toEqual({ leadId: 'L-9' });
    expect(await ds.query(`SELECT lead_id FROM lead_keys WHERE lead_id = 'L-9'`)).toEqual([]);
  });

  it('happy path: the latest contact of each lead, opened with its key', async () => {
    await apply(sealed);
    expect(await contacts()).toEqual(expected);
    // The history keeps the captures, not their contacts.
    const history = await ds.query(`SELECT event FROM subject_events WHERE event_id IN ('c-1', 'c-2')`);
    expect(history.map((r: { event: { data: unknown } }) => r.event.data)).toEqual([{ leadId: 'L-1' }, { leadId: 'L-1' }]);
  });

  it('the same events twice, shuffled and in small batches give the same state as one batch', async () => {
    await apply(sealed);
    await apply(sealed);
    expect(await contacts()).toEqual(expected);
    await reset();
    const order = shuffled(sealed, 3);
    for (let i = 0; i < order.length; i += 2) await apply(order.slice(i, i + 2));
    expect(await contacts()).toEqual(expected);
  });

  it('erasure forgets the contact, survives a rebuild and keeps later contacts out; twice is idempotent', async () => {
    await apply(sealed);
    const now = new Date('2026-02-01T00:00:00.000Z');
    const first = await eraseLead(ds, 'L-1', 'mia', now, { forgetWal });
    expect(first).toEqual({ leadId: 'L-1', erasedAt: '2026-02-01T00:00:00.000Z', erasedBy: 'mia', alreadyErased: false });
    expect(await eraseLead(ds, 'L-1', 'sam', new Date('2026-03-01T00:00:00Z'), { forgetWal })).toEqual({ ...first, alreadyErased: true });
    expect(await eraseLead(ds, 'L-404', 'mia', now)).toBeUndefined();
    // A lead without a contact gets a tombstone all the same.
    expect(await eraseLead(ds, 'L-3', 'mia', now)).toMatchObject({ leadId: 'L-3', alreadyErased: false });

    const after = { ...expected, L1: null, rows: [{ lead_id: 'L-2', event_id: 'c-5' }] };
    expect(await contacts()).toEqual(after);
    // A rebuild from the log meets the sealed copies again; the erased key is gone, so no row.
    await reset();
    await apply(sealed);
    expect(await contacts()).toEqual(after);
    expect(await ds.query(`SELECT lead_id, data_key, erased_by FROM lead_keys WHERE erased_at IS NOT NULL ORDER BY lead_id`)).toEqual([
      { lead_id: 'L-1', data_key: null, erased_by: 'mia' },
      { lead_id: 'L-3', data_key: null, erased_by: 'mia' },
    ]);
    const later = await sealContacts(ds, [captured('c-6', 'L-1', '2026-03-01T00:00:00Z', { email: 'back@example.com' }), captured('c-7', 'L-3', '2026-03-01T00:00:00Z', { name: 'Tom' })]);
    expect(later.map((e) => e.data)).toEqual([{ leadId: 'L-1' }, { leadId: 'L-3' }]);
  });
});
