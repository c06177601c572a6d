import type { CrashPoint } from '@funnel/config';
import { Logger } from '@nestjs/common';
import { writeSync } from 'node:fs';
import type { EventLog, LogRecord, Subscription } from '@funnel/event-log';
import type { DeadLetterStore } from './dead-letters/dead-letter.store';
import { errorMessage } from './error-message';
import type { Projection } from './projection';

export interface ProjectionRunnerOptions {
  /**
   * Tries of a single event, failing while its store answers, before it counts as poison (3). A
   * deadlock or serialisation failure between two projectors is transient and passes on a retry;
   * a poison event fails every time.
   */
  readonly attempts?: number;
  /** Pause before the second try, doubling after (50 ms). */
  readonly retryDelayMs?: number;
  /** The fault suite's self-kill (FAULT_CRASH_POINT); only the runner of its projection honours it. */
  readonly crashPoint?: CrashPoint;
}

// Synchronous, so the line is out before the process is gone; SIGKILL, so nothing else runs.
function crash(at: string): never {
  writeSync(2, `FAULT_CRASH_POINT: SIGKILL at ${at}\n`);
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable: SIGKILL sent');
}

/**
 * The log line of an applied batch: its size, where it sits in the log, and the ids of the
 * requests that appended its events, so a POST can be followed into each projection.
 */
export function appliedBatch(records: readonly LogRecord[]): { msg: string; events: number; requestIds?: string[] } {
  const requestIds = [...new Set(records.flatMap((r) => (r.requestId === undefined ? [] : [r.requestId])))];
  const where = records.length === 1 ? `at ${records[0].position}` : `at ${records[0].position}..${records[records.length - 1].position}`;
  return { msg: `applied ${records.length} event(s) ${where}`, events: records.length, ...(requestIds.length > 0 ? { requestIds } : {}) };
}

/**
 * Feeds a projection from the log. A batch that fails is halved until the failing events stand
 * alone, so one poison event among a thousand costs a few dozen writes rather than a thousand; an
 * event that keeps failing on its own while the store is reachable goes to the dead-letter store
 * and the projection keeps going. A store that is down, or an error the projection calls
 * transient (overload, a timeout, a deadlock), fails the batch, so the log retries it later
 * instead of dead-lettering good events.
 */
export class ProjectionRunner {
  private readonly logger: Logger;
  private readonly attempts: number;
  private readonly retryDelayMs: number;
  private readonly crashPoint?: CrashPoint;
  private batches = 0;
  private subscription?: Subscription;

  constructor(
    private readonly log: EventLog,
    readonly projection: Projection,
    readonly deadLetters: DeadLetterStore,
    options: ProjectionRunnerOptions = {},
  ) {
    this.logger = new Logger(`projector:${projection.name}`);
    this.attempts = options.attempts ?? 3;
    this.retryDelayMs = options.retryDelayMs ?? 50;
    if (options.crashPoint?.projection === projection.name) this.crashPoint = options.crashPoint;
  }

  async start(): Promise<void> {
    this.subscription = await this.log.subscribe(this.projection.name, (records) => this.handle(records), {
      batchSize: this.projection.batchSize,
    });
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
    this.subscription = undefined;
    await this.projection.stop?.();
  }

  async handle(records: readonly LogRecord[]): Promise<void> {
    const crashHere = this.crashPoint && ++this.batches === this.crashPoint.batch ? this.crashPoint.point : undefined;
    const crashNow = () => crash(`${crashHere} of ${this.projection.name} batch ${this.batches} (${records[0]?.position}..${records[records.length - 1]?.position})`);
    if (crashHere === 'before-write') crashNow();
    if (crashHere === 'mid-batch') {
      await this.projection.apply(records.slice(0, Math.ceil(records.length / 2)));
      crashNow();
    }
    try {
      await this.projection.apply(records);
    } catch (error) {
      await this.failUnlessPoison(error);
      if (records.length > 1) {
        this.logger.warn(`batch of ${records.length} at ${records[0].position} failed (${errorMessage(error)}); isolating the failing events`);
      }
      await this.isolate(records, error);
    }
    if (crashHere === 'after-write') crashNow();
    this.logger.log(appliedBatch(records));
  }

  /**
   * Rethrows `error`, so the log retries the batch later, when the store is down (ping throws)
   * or the projection calls it transient; returns when the events themselves may be at fault.
   */
  private async failUnlessPoison(error: unknown): Promise<void> {
    await this.projection.ping();
    if (this.projection.isTransient(error)) throw error;
  }

  /** Applies `records`, which failed together with `error`, in halves down to single events. */
  private async isolate(records: readonly LogRecord[], error: unknown): Promise<void> {
    if (records.length === 1) return this.retryOrDeadLetter(records[0], error);
    const half = Math.ceil(records.length / 2);
    for (const part of [records.slice(0, half), records.slice(half)]) {
      try {
        await this.projection.apply(part);
      } catch (partError) {
        await this.failUnlessPoison(partError);
        await this.isolate(part, partError);
      }
    }
  }

  private async retryOrDeadLetter(record: LogRecord, firstError: unknown): Promise<void> {
    let error = firstError;
    for (let attempt = 2; attempt <= this.attempts; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, this.retryDelayMs * 2 ** (attempt - 2)));
      try {
        await this.projection.apply([record]);
        return;
      } catch (again) {
        await this.failUnlessPoison(again);
        error = again;
      }
    }
    this.logger.error(`dead-lettering event ${record.event.id} at ${record.position}: ${errorMessage(error)}`);
    await this.deadLetters.put(this.projection.name, record, errorMessage(error));
  }
}
