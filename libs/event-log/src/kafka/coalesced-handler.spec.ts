import fc from 'fast-check';
import type { LogRecord } from '../event-log.port';
import { coalescedHandler } from './coalesced-handler';

const record = (partition: number, offset: number): LogRecord => ({
  position: `${partition}:${offset}`,
  event: { id: `e-${partition}-${offset}`, type: 'LeadRecycled', occurredAt: '2026-03-02T10:15:00.000Z', schemaVersion: 1, data: { leadId: `L-${partition}` } },
});
const batchOf = (partition: number, from: number, size: number) => Array.from({ length: size }, (_, i) => record(partition, from + i));
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('coalescedHandler', () => {
  it('applies a lone batch at once and merges the batches that arrive while it runs', async () => {
    const applied: string[][] = [];
    let release: () => void = () => undefined;
    const handler = coalescedHandler(async (records) => {
      applied.push(records.map((r) => r.position));
      if (applied.length === 1) await new Promise<void>((resolve) => (release = resolve));
    }, 100);
    const first = handler(batchOf(0, 0, 2));
    await tick();
    expect(applied).toEqual([['0:0', '0:1']]);
    const rest = [handler(batchOf(1, 0, 1)), handler(batchOf(2, 5, 2))];
    await tick();
    expect(applied).toHaveLength(1);
    release();
    await Promise.all([first, ...rest]);
    expect(applied).toEqual([['0:0', '0:1'], ['1:0', '2:5', '2:6']]);
  });

  it('keeps a merged apply within maxRecords, but never splits a batch', async () => {
    const sizes: number[] = [];
    let release: () => void = () => undefined;
    const handler = coalescedHandler(async (records) => {
      sizes.push(records.length);
      if (sizes.length === 1) await new Promise<void>((resolve) => (release = resolve));
    }, 5);
    const calls = [handler(batchOf(0, 0, 1))];
    await tick();
    calls.push(handler(batchOf(1, 0, 3)), handler(batchOf(2, 0, 2)), handler(batchOf(3, 0, 7)), handler(batchOf(4, 0, 1)));
    release();
    await Promise.all(calls);
    expect(sizes).toEqual([1, 5, 7, 1]);
  });

  it('fails every caller of a failed apply and goes on with the next', async () => {
    let release: () => void = () => undefined;
    let calls = 0;
    const handler = coalescedHandler(async (records) => {
      calls++;
      if (calls === 1) await new Promise<void>((resolve) => (release = resolve));
      if (records.some((r) => r.position === '1:0')) throw new Error('store down');
    }, 100);
    const first = handler(batchOf(0, 0, 1));
    await tick();
    const merged = [handler(batchOf(1, 0, 1)), handler(batchOf(2, 0, 1))];
    release();
    await first;
    await expect(merged[0]).rejects.toThrow('store down');
    await expect(merged[1]).rejects.toThrow('store down');
    await expect(handler(batchOf(2, 0, 1))).resolves.toBeUndefined();
  });

  it('hands every record over exactly once, each partition in its order, whatever the timing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ partition: fc.integer({ min: 0, max: 3 }), size: fc.integer({ min: 1, max: 6 }), delay: fc.integer({ min: 0, max: 2 }) }), { minLength: 1, maxLength: 25 }),
        fc.integer({ min: 1, max: 12 }),
        async (calls, maxRecords) => {
          const seen: LogRecord[] = [];
          const handler = coalescedHandler(async (records) => {
            expect(records.length <= maxRecords || calls.some((c) => c.size === records.length)).toBe(true);
            await tick();
            seen.push(...records);
          }, maxRecords);
          // One batch in flight per partition, as kafkajs delivers them.
          const next = new Map<number, number>();
          const byPartition = new Map<number, Promise<void>>();
          for (const { partition, size, delay } of calls) {
            const from = next.get(partition) ?? 0;
            next.set(partition, from + size);
            const previous = byPartition.get(partition) ?? Promise.resolve();
            byPartition.set(partition, previous.then(async () => {
              for (let i = 0; i < delay; i++) await tick();
              await handler(batchOf(partition, from, size));
            }));
          }
          await Promise.all(byPartition.values());
          for (const [partition, total] of next) {
            expect(seen.filter((r) => r.position.startsWith(`${partition}:`)).map((r) => r.position)).toEqual(
              Array.from({ length: total }, (_, i) => `${partition}:${i}`),
            );
          }
          expect(seen).toHaveLength([...next.values()].reduce((a, b) => a + b, 0));
        },
      ),
      { numRuns: 100 },
    );
  });
});
