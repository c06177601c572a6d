import { Controller, HttpCode, Inject, NotFoundException, Param, Post } from '@nestjs/common';
import type { AppConfig } from '@funnel/config';
import { Access, APP_CONFIG, CurrentPrincipal, READ_MODEL, type Principal } from '@funnel/platform';
import { eraseLead, type Erasure } from '@funnel/read-model';
import type { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '../common/clock';

/**
 * POST /v1/leads/{id}/erase (DESIGN §8): forgets the person behind a lead. The log stays as it
 * is (immutable; its sealed copy of the contact becomes unreadable with the key gone), the lead
 * and every count stay, and the contact leaves the read models. Erasing again answers the first
 * erasure's record.
 */
@Controller('v1/leads')
export class ErasureController {
  constructor(
    @Inject(READ_MODEL) private readonly ds: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post(':id/erase')
  @HttpCode(200)
  @Access('admin')
  async erase(@Param('id') leadId: string, @CurrentPrincipal() caller: Principal): Promise<Erasure> {
    // Embedded PGlite (no DATABASE_URL) is ours alone: its WAL is pushed past the key as well.
    const erasure = await eraseLead(this.ds, leadId, caller.name, this.clock.now(), { forgetWal: !this.config.databaseUrl });
    if (!erasure) throw new NotFoundException({ error: 'LEAD_NOT_FOUND', message: `lead ${JSON.stringify(leadId)} is not known: no event of it has been projected`, leadId });
    return erasure;
  }
}
