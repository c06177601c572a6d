import type { BatchHandler, LogRecord } from '../event-log.port';

interface Waiting {
  readonly records: readonly LogRecord[];
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * A handler that merges concurrent calls: while one apply runs, the batches that arrive wait and
 * then go to `handler` together, up to `maxRecords` (a single larger batch still goes alone).
 * Kafka hands over one partition's batch at a time, a few hundred records when producers are
 * fast; a projection pays a fixed cost per write (a ClickHouse INSERT per fact table), so twelve
 * partitions' batches applied as one cost about what one does. Each caller's promise settles
 * with the apply that carried its records, so a caller commits its offsets only after its own
 * records are written, and a failure fails every caller it carried (each retries its own).
 * A lone caller is applied at once: merging never adds latency.
 */
export function coalescedHandler(handler: BatchHandler, maxRecords: number): BatchHandler {
  const waiting: Waiting[] = [];
  let draining = false;

  async function drain(): Promise<void> {
    draining = true;
    while (waiting.length > 0) {
      const taken = [waiting.shift() as Waiting];
      let size = taken[0].records.length;
      while (waiting.length > 0 && size + waiting[0].records.length <= maxRecords) {
        const next = waiting.shift() as Waiting;
        size += next.records.length;
        taken.push(next);
      }
      try {
        await handler(taken.length === 1 ? taken[0].records : taken.flatMap((w) => w.records));
        for (const w of taken) w.resolve();
      } catch (error) {
        for (const w of taken) w.reject(error);
      }
    }
    draining = false;
  }

  return (records) =>
    new Promise<void>((resolve, reject) => {
      waiting.push({ records, resolve, reject });
      if (!draining) void drain();
    });
}
