import { BadRequestException, Controller, Inject, NotFoundException, Param, Post, Req, Res, UnprocessableEntityException } from '@nestjs/common';
import type { LogEvent } from '@funnel/contracts';
import { retractionOf, RetractionError } from '@funnel/domain';
import { EVENT_LOG, type EventLog } from '@funnel/event-log';
import { Access, CurrentPrincipal, READ_MODEL, type Principal } from '@funnel/platform';
import type { Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import { readLimited } from '../common/read-limited';

const MAX_BODY_BYTES = 16 * 1024;

async function reasonOf(req: Request): Promise<unknown> {
  const text = await readLimited(req as AsyncIterable<Buffer>, MAX_BODY_BYTES);
  try {
    return (JSON.parse(text ?? '') as { reason?: unknown } | null)?.reason;
  } catch {
    return undefined;
  }
}

/**
 * POST /v1/events/{id}/retract (DESIGN §2 corrections), body `{"reason": "..."}`: appends
 * EventRetracted under the retracted event's subject, so every read model rebuilds that subject
 * without it. The event is looked up among the projected events (subject_events, which a
 * retraction leaves): one not yet projected is not known yet. 202 when the retraction is new,
 * 200 when the event was retracted already (nothing changes).
 */
@Controller('v1/events')
export class RetractController {
  constructor(
    @Inject(EVENT_LOG) private readonly log: EventLog,
    @Inject(READ_MODEL) private readonly ds: DataSource,
  ) {}

  @Post(':id/retract')
  @Access('admin')
  async retract(@Param('id') eventId: string, @Req() req: Request, @CurrentPrincipal() caller: Principal, @Res() res: Response): Promise<void> {
    const reason = await reasonOf(req);
    const [row]: { event: LogEvent }[] = await this.ds.query(`SELECT event FROM subject_events WHERE event_id = $1`, [eventId]);
    const [retracted]: { retraction_id: string }[] = await this.ds.query(`SELECT retraction_id FROM retracted_events WHERE event_id = $1`, [eventId]);
    if (retracted) {
      res.status(200).json({ id: retracted.retraction_id, eventId, status: 'duplicate' });
      return;
    }
    if (!row) {
      throw new NotFoundException({ error: 'EVENT_NOT_FOUND', message: `event ${JSON.stringify(eventId)} is not known: no such event has been projected`, eventId });
    }
    let event;
    try {
      event = retractionOf(row.event, { reason, by: caller.name, at: new Date().toISOString() });
    } catch (e) {
      if (!(e instanceof RetractionError)) throw e;
      if (e.code === 'INVALID_REASON') throw new BadRequestException({ error: e.code, message: e.message, field: 'reason' });
      throw new UnprocessableEntityException({ error: e.code, message: e.message, eventId });
    }
    const result = await this.log.append([event], { writer: caller.name });
    const first = result.accepted.includes(event.id);
    res.status(first ? 202 : 200).json({ id: event.id, eventId, status: first ? 'accepted' : 'duplicate' });
  }
}
