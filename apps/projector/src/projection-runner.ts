import { Logger } from '@nestjs/common';
import type { EventLog, LogRecord, Subscription } from '@funnel/event-log';
import { Counter } from 'prom-client';
import type { DeadLetterStore } from './dead-letter.store';
import type { Projection } from './projection';

const deadLettered = new Counter({
  name: 'funnel_projection_dead_letters_total',
  help: 'Events a projection could not apply and sent to the dead-letter store',
  labelNames: ['projection'],
});

/**
 * Feeds a projection from the log. A batch that fails is split into single events; one that
 * fails again on its own, while the store is reachable, is a poison event: it goes to the
 * dead-letter store and the projection keeps going. A store that is down fails the batch, so the
 * log retries it later instead of dead-lettering everything.
 */
export class ProjectionRunner {
  private readonly logger: Logger;
  private subscription?: Subscription;

  constructor(
    private readonly log: EventLog,
    readonly projection: Projection,
    private readonly deadLetters: DeadLetterStore,
  ) {
    this.logger = new Logger(`projector:${projection.name}`);
  }

  async start(): Promise<void> {
    this.subscription = await this.log.subscribe(this.projection.name, (records) => this.handle(records));
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
    this.subscription = undefined;
  }

  async handle(records: readonly LogRecord[]): Promise<void> {
    try {
      await this.projection.apply(records);
    } catch (batchError) {
      await this.projection.ping(); // throws when the store is down: retry the batch later
      if (records.length === 1) {
        await this.deadLetter(records[0], batchError);
        return;
      }
      this.logger.warn(`batch of ${records.length} failed (${message(batchError)}); applying one by one`);
      for (const record of records) {
        try {
          await this.projection.apply([record]);
        } catch (error) {
          await this.projection.ping();
          await this.deadLetter(record, error);
        }
      }
    }
  }

  private async deadLetter(record: LogRecord, error: unknown) {
    this.logger.error(`dead-lettering event ${record.event.id} at ${record.position}: ${message(error)}`);
    await this.deadLetters.put(this.projection.name, record, message(error));
    deadLettered.inc({ projection: this.projection.name });
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
