import type { AppConfig } from '@funnel/config';
import type { LogEvent } from '@funnel/contracts';
import type { AppendResult, EventLog } from '@funnel/event-log';
import type { DataSource } from 'typeorm';
import { IngestService } from './ingest.service';

/**
 * A log that refuses, as PostgreSQL does for a NUL in jsonb, any batch holding an event whose
 * source is "poison": the only thing this unit test needs of a store, so a fake stands in.
 */
class RefusingLog {
  readonly stored: string[] = [];
  calls = 0;
  down = false;

  async append(events: readonly LogEvent[]): Promise<AppendResult> {
    this.calls++;
    if (this.down) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    if (events.some((e) => e.source === 'poison')) {
      throw Object.assign(new Error('unsupported Unicode escape sequence'), { code: '22P05' });
    }
    const accepted: string[] = [];
    const duplicates: string[] = [];
    for (const { id } of events) {
      if (this.stored.includes(id)) duplicates.push(id);
      else {
        this.stored.push(id);
        accepted.push(id);
      }
    }
    return { accepted, duplicates };
  }
}

const event = (i: number, extra: Record<string, unknown> = {}) => ({
  id: `e-${i}`,
  type: 'LeadCaptured',
  occurredAt: '2026-03-02T10:15:00Z',
  data: { leadId: `L-${i}` },
  ...extra,
});

describe('IngestService when the log refuses an event validation let through', () => {
  const setup = () => {
    const log = new RefusingLog();
    // These events carry no contact, so ingest never asks the key table for a data key.
    const noKeys = { query: () => Promise.reject(new Error('no contact here needs a key')) } as unknown as DataSource;
    const service = new IngestService(log as unknown as EventLog, { reportingCurrency: 'USD' } as AppConfig, noKeys);
    return { log, service };
  };

  it('rejects only that event, with a clear error, and stores every other one in input order', async () => {
    const { log, service } = setup();
    const items = Array.from({ length: 1000 }, (_, i) => event(i, i === 500 ? { source: 'poison' } : {}));
    const result = await service.ingest([...items, event(3)]);
    expect(result.accepted).toBe(999);
    expect(result.duplicates).toBe(1);
    expect(result.rejected).toEqual([
      { index: 500, id: 'e-500', errors: [{ path: '', message: expect.stringContaining('the event log could not store this event (unsupported Unicode escape sequence)') }] },
    ]);
    expect(result.results[500]).toEqual({ index: 500, id: 'e-500', status: 'rejected' });
    expect(log.stored).toEqual(items.map((e) => e.id).filter((id) => id !== 'e-500'));
    // Halving finds it in a few dozen appends, not a thousand.
    expect(log.calls).toBeLessThan(30);
  });

  it('keeps validation rejections and isolation rejections in index order', async () => {
    const { service } = setup();
    const result = await service.ingest([event(0, { source: 'poison' }), { id: 'bad' }, event(2)]);
    expect(result.rejected.map((r) => r.index)).toEqual([0, 1]);
    expect(result.accepted).toBe(1);
  });

  it('fails the request when the store is down, rather than rejecting valid events', async () => {
    const { log, service } = setup();
    log.down = true;
    await expect(service.ingest([event(1), event(2)])).rejects.toThrow('ECONNREFUSED');
    expect(log.calls).toBe(1);
  });
});
