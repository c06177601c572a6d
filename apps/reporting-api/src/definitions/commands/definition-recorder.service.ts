import { Inject, Injectable } from '@nestjs/common';
import type { DefinitionEvent } from '@funnel/contracts';
import type { DefinitionEventBody, DefinitionRegistry } from '@funnel/domain';
import { EVENT_LOG, type EventLog } from '@funnel/event-log';
import { randomUUID } from 'node:crypto';
import { CLOCK, type Clock } from '../../common/clock';
import { untilProjected } from '../../common/until-projected';
import { DefinitionStore } from '../definition.store';

/**
 * The IO around the definition decider: the registry to decide on (once the PostgreSQL
 * projection has every accepted definition event, not a lagging one), and recording a decided
 * event in the log, answering once the projection shows it so a client reads its own write.
 */
@Injectable()
export class DefinitionRecorder {
  constructor(
    @Inject(EVENT_LOG) private readonly log: EventLog,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly store: DefinitionStore,
  ) {}

  async currentRegistry(): Promise<DefinitionRegistry> {
    await untilProjected(async () => (await this.log.progress('postgres')).lag === 0, 'the read model to catch up with the log');
    return this.store.registry();
  }

  /** `writer`: who the event is recorded as written by (AppendContext). */
  async record(body: DefinitionEventBody, writer: string): Promise<DefinitionRegistry> {
    const last = await this.store.lastEventAt();
    const now = this.clock.now().getTime();
    // Definition events are ordered by business time: never stamp one before its predecessor.
    const occurredAt = new Date(last ? Math.max(now, Date.parse(last) + 1) : now).toISOString();
    const event = { id: `def-${randomUUID()}`, occurredAt, schemaVersion: 1, source: 'graphql', ...body } as DefinitionEvent;
    await this.log.append([event], { writer });
    await untilProjected(() => this.store.hasApplied(event.id), `definition event ${event.id} to be projected`);
    return this.store.registry();
  }
}
