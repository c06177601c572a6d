import type { ProjectionName } from '@funnel/config';
import type { EventLog, LogRecord } from '@funnel/event-log';
import { asLogRecords, generateFunnelEvents } from '@funnel/testing';
import { Logger } from '@nestjs/common';
import type { DeadLetter, DeadLetterReplay, DeadLetterStore } from './dead-letters/dead-letter.store';
import type { Projection } from './projection';
import { appliedBatch, ProjectionRunner } from './projection-runner';

/** A projection over a set of ids that refuses the poison ids, and transient ones a set number of times. */
class FakeProjection implements Projection {
  readonly name = 'postgres' as const;
  readonly applied = new Set<string>();
  calls = 0;
  down = false;

  constructor(
    private readonly poison: ReadonlySet<string>,
    private readonly transientFailures = new Map<string, number>(),
  ) {}

  async apply(records: readonly LogRecord[]): Promise<void> {
    this.calls++;
    for (const { event } of records) {
      if (this.poison.has(event.id)) throw new Error(`cannot apply ${event.id}`);
      const left = this.transientFailures.get(event.id) ?? 0;
      if (left > 0) {
        this.transientFailures.set(event.id, left - 1);
        throw new Error('deadlock detected');
      }
    }
    for (const { event } of records) this.applied.add(event.id);
  }

  async reset(): Promise<void> {}

  async ping(): Promise<void> {
    if (this.down) throw new Error('connection refused');
  }

  isTransient(error: unknown): boolean {
    return (error as Error).message === 'too many parts';
  }
}

class RecordingDeadLetters implements DeadLetterStore {
  readonly letters: { projection: ProjectionName; id: string; position: string; error: string }[] = [];

  async put(projection: ProjectionName, record: LogRecord, error: string): Promise<void> {
    this.letters.push({ projection, id: record.event.id, position: record.position, error });
  }

  async replay(): Promise<DeadLetterReplay> {
    return { replayed: 0, failed: 0 };
  }

  async list(): Promise<DeadLetter[]> {
    return [];
  }
  async discard(): Promise<void> {}

  async close(): Promise<void> {}
}

describe('ProjectionRunner.handle', () => {
  const records = asLogRecords(generateFunnelEvents({ leads: 60, seed: 3 }));
  const ids = records.map((r) => r.event.id);
  const unusedLog = {} as EventLog;
  const runner = (projection: Projection, deadLetters: DeadLetterStore) =>
    new ProjectionRunner(unusedLog, projection, deadLetters, { retryDelayMs: 1 });

  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['error', 'warn']));

  it('applies a good batch in one write', async () => {
    const projection = new FakeProjection(new Set());
    await runner(projection, new RecordingDeadLetters()).handle(records);
    expect(projection.calls).toBe(1);
    expect(projection.applied).toEqual(new Set(ids));
  });

  it('dead-letters each poison event with its error and position, and applies every other event', async () => {
    const poison = new Set([ids[7], ids[200]]);
    const projection = new FakeProjection(poison);
    const deadLetters = new RecordingDeadLetters();
    await runner(projection, deadLetters).handle(records);

    expect(projection.applied).toEqual(new Set(ids.filter((id) => !poison.has(id))));
    expect(deadLetters.letters).toEqual([
      { projection: 'postgres', id: ids[7], position: '8', error: `cannot apply ${ids[7]}` },
      { projection: 'postgres', id: ids[200], position: '201', error: `cannot apply ${ids[200]}` },
    ]);
    // Halving, not one write per event: 2 poisons * (log2(n) levels * 2 halves + 2 retries), and then some.
    expect(projection.calls).toBeLessThan(2 * (2 * Math.ceil(Math.log2(records.length)) + 2) + 2);
  });

  it('retries an event that fails only transiently instead of dead-lettering it', async () => {
    const projection = new FakeProjection(new Set(), new Map([[ids[3], 2]]));
    const deadLetters = new RecordingDeadLetters();
    await runner(projection, deadLetters).handle(records);
    expect(deadLetters.letters).toEqual([]);
    expect(projection.applied).toEqual(new Set(ids));
  });

  it('fails the batch, dead-lettering nothing, when the store answers with a transient error', async () => {
    const projection = new FakeProjection(new Set());
    projection.apply = async () => {
      throw new Error('too many parts');
    };
    const deadLetters = new RecordingDeadLetters();
    await expect(runner(projection, deadLetters).handle(records)).rejects.toThrow('too many parts');
    expect(deadLetters.letters).toEqual([]);
  });

  it('fails the batch, dead-lettering nothing, when the store is down', async () => {
    const projection = new FakeProjection(new Set(ids));
    projection.down = true;
    const deadLetters = new RecordingDeadLetters();
    await expect(runner(projection, deadLetters).handle(records)).rejects.toThrow('connection refused');
    expect(deadLetters.letters).toEqual([]);
  });
});

describe('appliedBatch', () => {
  const [a, b, c] = asLogRecords(generateFunnelEvents({ leads: 3, seed: 5 }));

  it('names the request ids of the batch once each, so a POST can be followed into the projection', () => {
    const line = appliedBatch([{ ...a, requestId: 'r-1' }, { ...b, requestId: 'r-1' }, { ...c, requestId: 'r-2' }]);
    expect(line).toEqual({ msg: `applied 3 event(s) at ${a.position}..${c.position}`, events: 3, requestIds: ['r-1', 'r-2'] });
  });

  it('leaves requestIds out for records appended without one', () => {
    expect(appliedBatch([a])).toEqual({ msg: `applied 1 event(s) at ${a.position}`, events: 1 });
  });
});
