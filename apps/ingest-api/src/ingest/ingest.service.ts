import { Inject, Injectable, Logger } from '@nestjs/common';
import { MAX_ECHOED_ID_LENGTH, validateEvent, type FieldError, type FunnelEvent } from '@funnel/contracts';
import { EVENT_LOG, isUnstorableEventError, type AppendContext, type EventLog } from '@funnel/event-log';
import { APP_CONFIG, READ_MODEL } from '@funnel/platform';
import { sealContacts } from '@funnel/read-model';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '@funnel/config';
import { Counter } from 'prom-client';
import { isUnparseable, type BatchItem } from './parse-batch';

const ingested = new Counter({
  name: 'funnel_ingest_events_total',
  help: 'Events received by POST /v1/events, by outcome',
  labelNames: ['outcome'],
});

export const ITEM_STATUSES = ['accepted', 'duplicate', 'rejected'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

export interface IngestResult {
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: { index: number; id?: string; errors: FieldError[] }[];
  /** One entry per input event, in input order, so a client can reconcile every record. */
  readonly results: { index: number; id?: string; status: ItemStatus }[];
}

@Injectable()
export class IngestService {
  private readonly logger = new Logger('ingest');

  constructor(
    @Inject(EVENT_LOG) private readonly log: EventLog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(READ_MODEL) private readonly readModel: DataSource,
  ) {}

  /**
   * Validates each event, appends the valid ones (durably) and reports on every one. `context`
   * (the request id) is stored beside the accepted events, so the projections can log it.
   */
  async ingest(items: readonly BatchItem[], context: AppendContext = {}): Promise<IngestResult> {
    const valid: { index: number; event: FunnelEvent }[] = [];
    const rejected: IngestResult['rejected'] = [];
    items.forEach((item, index) => {
      if (isUnparseable(item)) {
        rejected.push({ index, errors: [item.unparseable] });
        return;
      }
      const result = validateEvent(item, { reportingCurrency: this.config.reportingCurrency });
      if (result.ok) valid.push({ index, event: result.event });
      else rejected.push({ index, ...(result.id !== undefined ? { id: result.id } : {}), errors: result.errors });
    });

    // Personal data is sealed here, before the log (DESIGN §8): no store ever sees the plaintext.
    const sealed = await sealContacts(this.readModel, valid.map((v) => v.event));
    const toAppend = valid.map((v, i) => ({ index: v.index, event: sealed[i] }));
    const newIds = new Set(await this.appendIsolating(toAppend, rejected, context));
    // The log reports ids; the first stored occurrence of a newly accepted id is the accepted one.
    const statuses = new Map<number, ItemStatus>();
    for (const r of rejected) statuses.set(r.index, 'rejected');
    for (const { index, event } of valid) {
      if (statuses.has(index)) continue;
      const first = newIds.delete(event.id);
      statuses.set(index, first ? 'accepted' : 'duplicate');
    }

    rejected.sort((a, b) => a.index - b.index);
    const results = items.map((item, index) => {
      const id = (item as { id?: unknown } | null)?.id;
      // Echoed as validation echoes it: a huge string is not an id worth repeating.
      const echoed = typeof id === 'string' && id.length <= MAX_ECHOED_ID_LENGTH;
      return { index, ...(echoed ? { id } : {}), status: statuses.get(index) as ItemStatus };
    });
    const accepted = results.filter((r) => r.status === 'accepted').length;
    const duplicates = results.filter((r) => r.status === 'duplicate').length;
    ingested.inc({ outcome: 'accepted' }, accepted);
    ingested.inc({ outcome: 'duplicate' }, duplicates);
    ingested.inc({ outcome: 'rejected' }, rejected.length);
    return { accepted, duplicates, rejected, results };
  }

  /**
   * Appends `valid` and returns the ids newly written. Validation admits only what the log can
   * store, but should an event still be refused for its content, the batch is halved until that
   * event stands alone: it is added to `rejected` and every other event goes in. A store that is
   * down still fails the request, so no valid event is reported rejected for it.
   */
  private async appendIsolating(
    valid: readonly { index: number; event: FunnelEvent }[],
    rejected: IngestResult['rejected'],
    context: AppendContext,
  ): Promise<string[]> {
    if (valid.length === 0) return [];
    try {
      return (await this.log.append(valid.map((v) => v.event), context)).accepted;
    } catch (error) {
      if (!isUnstorableEventError(error)) throw error;
      if (valid.length === 1) {
        const [{ index, event }] = valid;
        const reason = String((error as Error).message ?? error).slice(0, 200);
        this.logger.warn(`event ${JSON.stringify(event.id)} (index ${index}) passed validation but the log refused it: ${reason}`);
        const message = `the event log could not store this event (${reason}); nothing of it was written`;
        rejected.push({ index, id: event.id, errors: [{ path: '', message }] });
        return [];
      }
      const half = Math.ceil(valid.length / 2);
      // In order, so log positions still follow input order.
      const first = await this.appendIsolating(valid.slice(0, half), rejected, context);
      return [...first, ...(await this.appendIsolating(valid.slice(half), rejected, context))];
    }
  }
}
