import { Controller, Get, Inject } from '@nestjs/common';
import { EVENT_LOG, ingestionStatus, type EventLog, type IngestionStatus } from '@funnel/event-log';
import { Access, APP_CONFIG, READ_MODEL } from '@funnel/platform';
import { pendingDeadLetters } from '@funnel/persistence';
import { retractedCount } from '@funnel/read-model';
import type { AppConfig } from '@funnel/config';
import type { DataSource } from 'typeorm';

@Controller('v1/status')
export class StatusController {
  constructor(
    @Inject(EVENT_LOG) private readonly log: EventLog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(READ_MODEL) private readonly readModel: DataSource,
  ) {}

  /**
   * Events accepted, and per projection how many are processed, still lag, and wait as dead
   * letters; `retracted`: events retracted so far (as the PostgreSQL read model has them).
   */
  @Get()
  @Access('caller')
  async status(): Promise<IngestionStatus & { retracted: number }> {
    const status = await ingestionStatus(this.log, this.config.projections, () => pendingDeadLetters(this.readModel));
    return { ...status, retracted: await retractedCount(this.readModel) };
  }
}
