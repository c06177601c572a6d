import { Controller, Get, Inject } from '@nestjs/common';
import { EVENT_LOG, ingestionStatus, type EventLog, type IngestionStatus } from '@funnel/event-log';
import { APP_CONFIG } from '@funnel/platform';
import type { AppConfig } from '@funnel/config';

@Controller('v1/status')
export class StatusController {
  constructor(
    @Inject(EVENT_LOG) private readonly log: EventLog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Events accepted, and per projection how many are processed and how many still lag. */
  @Get()
  status(): Promise<IngestionStatus> {
    return ingestionStatus(this.log, this.config.projections);
  }
}
