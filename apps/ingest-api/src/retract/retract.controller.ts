import { BadRequestException, Controller, Inject, NotFoundException, Param, Post, Req, Res, UnprocessableEntityException } from '@nestjs/common';
import { isBusinessEvent, retractionEventId, subjectOf, type EventRetracted, type LogEvent } from '@funnel/contracts';
import { EVENT_LOG, type EventLog } from '@funnel/event-log';
import { Access, CurrentPrincipal, READ_MODEL, type Principal } from '@funnel/platform';
import type { Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import { readLimited } from '../common/read-limited';

/** Longer reasons are notes, not reasons; the log keeps what it is given. */
const MAX_REASON_LENGTH = 2000;
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
 * POST /v1/events/{id}/retract (DESIGN §2 corrections), body `{"reason": "..."}`: appends EventRetracted under the
 * retracted event's subject, so every read model rebuilds that subject without it. The event is
 * looked up among the projected events (subject_events): one not yet projected is not known yet.
 * 202 when the retraction is new, 200 when the event was retracted already (nothing changes).
 */
@Controller('v1/events')
export class RetractController {
  constructor(
    @Inject(EVENT_LOG) private readonly log: EventLog,
    @Inject(READ_MODEL) private readonly ds: DataSource,
  ) {}

  @Post(':id/retract')
  @Access('admin')
  async retract(
    @Param('id') eventId: string,
    @Req() req: Request,
    @CurrentPrincipal() caller: Principal,
    @Res() res: Response,
  ): Promise<void> {
    const reason = await reasonOf(req);
    if (typeof reason !== 'string' || reason.trim() === '' || reason.length > MAX_REASON_LENGTH) {
      throw new BadRequestException({ error: 'INVALID_REASON', message: `reason: a non-empty string of at most ${MAX_REASON_LENGTH} characters is required`, field: 'reason' });
    }
    const [row]: { event: LogEvent }[] = await this.ds.query(`SELECT event FROM subject_events WHERE event_id = $1`, [eventId]);
    const [retracted]: unknown[] = await this.ds.query(`SELECT 1 FROM retracted_events WHERE event_id = $1`, [eventId]);
    if (!row && !retracted) {
      throw new NotFoundException({ error: 'EVENT_NOT_FOUND', message: `event ${JSON.stringify(eventId)} is not known: no such event has been projected`, eventId });
    }
    if (row && !isBusinessEvent(row.event)) {
      throw new UnprocessableEntityException({ error: 'NOT_RETRACTABLE', message: `event ${JSON.stringify(eventId)} is a ${row.event.type}, which Funnel Ledger writes itself; only business events can be retracted`, eventId });
    }
    const id = retractionEventId(eventId);
    if (retracted) {
      res.status(200).json({ id, eventId, status: 'duplicate' });
      return;
    }
    const subject = subjectOf(row.event) as { kind: EventRetracted['data']['subjectKind']; id: string };
    const event: EventRetracted = {
      id,
      type: 'EventRetracted',
      occurredAt: new Date().toISOString(),
      schemaVersion: 1,
      data: { eventId, reason, by: caller.name, retractedType: row.event.type, subjectKind: subject.kind, subjectId: subject.id },
    };
    const result = await this.log.append([event], { writer: caller.name });
    const first = result.accepted.includes(id);
    res.status(first ? 202 : 200).json({ id, eventId, status: first ? 'accepted' : 'duplicate' });
  }
}
