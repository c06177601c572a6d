import { Inject, Injectable } from '@nestjs/common';
import { validateEvent, type FieldError, type FunnelEvent } from '@funnel/contracts';
import { EVENT_LOG, type AppendContext, type EventLog } from '@funnel/event-log';
import { APP_CONFIG } from '@funnel/platform';
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
  constructor(
    @Inject(EVENT_LOG) private readonly log: EventLog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
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

    const appended = valid.length > 0 ? await this.log.append(valid.map((v) => v.event), context) : { accepted: [], duplicates: [] };
    // The log reports ids; the first valid occurrence of a newly accepted id is the accepted one.
    const newIds = new Set(appended.accepted);
    const statuses = new Map<number, ItemStatus>();
    for (const { index, event } of valid) {
      const first = newIds.delete(event.id);
      statuses.set(index, first ? 'accepted' : 'duplicate');
    }
    for (const r of rejected) statuses.set(r.index, 'rejected');

    const results = items.map((item, index) => {
      const id = (item as { id?: unknown } | null)?.id;
      return { index, ...(typeof id === 'string' ? { id } : {}), status: statuses.get(index) as ItemStatus };
    });
    const accepted = results.filter((r) => r.status === 'accepted').length;
    const duplicates = results.filter((r) => r.status === 'duplicate').length;
    ingested.inc({ outcome: 'accepted' }, accepted);
    ingested.inc({ outcome: 'duplicate' }, duplicates);
    ingested.inc({ outcome: 'rejected' }, rejected.length);
    return { accepted, duplicates, rejected, results };
  }
}
