import { Inject } from '@nestjs/common';
import { Query, Resolver } from '@nestjs/graphql';
import { EVENT_LOG, ingestionStatus, type EventLog } from '@funnel/event-log';
import { APP_CONFIG, READ_MODEL } from '@funnel/platform';
import { pendingDeadLetters } from '@funnel/persistence';
import { retractedCount } from '@funnel/read-model';
import type { AppConfig } from '@funnel/config';
import type { DataSource } from 'typeorm';
import { IngestionStatus } from './status.model';

@Resolver(() => IngestionStatus)
export class StatusResolver {
  constructor(
    @Inject(EVENT_LOG) private readonly log: EventLog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(READ_MODEL) private readonly readModel: DataSource,
  ) {}

  @Query(() => IngestionStatus, { description: 'Same figures as GET /v1/status' })
  async status(): Promise<IngestionStatus> {
    const status = await ingestionStatus(this.log, this.config.projections, () => pendingDeadLetters(this.readModel));
    return { ...status, retracted: await retractedCount(this.readModel) };
  }
}
