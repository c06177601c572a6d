import { Inject, Injectable } from '@nestjs/common';
import type { ReviewDecision, ReviewDecisionRecorded, ReviewSubjectKind } from '@funnel/contracts';
import { ReviewDecisionError, reviewDecisionEvents } from '@funnel/domain';
import { EVENT_LOG, type EventLog } from '@funnel/event-log';
import { GraphQLError } from 'graphql';
import { CLOCK, type Clock } from '../common/clock';
import { ReportInputError } from '../common/report-input.error';
import { ReviewDecisionStore } from './review-decision.store';

const CATCH_UP_TIMEOUT_MS = 15_000;
const POLL_MS = 20;

export interface RecordReviewDecision {
  readonly weekOf: string;
  readonly subjectId: string;
  readonly decision: ReviewDecision;
  readonly note?: string;
  readonly by: string;
  /** Needed only when the id names both a lead and an opportunity. */
  readonly subjectKind?: ReviewSubjectKind;
}

/**
 * Records a review decision and applies it: both events go to the log in one append (Kafka or the
 * PostgreSQL table, the same port ingest uses), first id wins, so a retried decision adds nothing;
 * it answers once the PostgreSQL projection shows the decision, so the caller reads its own write.
 */
@Injectable()
export class ReviewDecisionRecorder {
  constructor(
    @Inject(EVENT_LOG) private readonly log: EventLog,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly store: ReviewDecisionStore,
  ) {}

  async record(c: RecordReviewDecision): Promise<ReviewDecisionRecorded> {
    const subjectKind = await this.kindOf(c.subjectId, c.subjectKind);
    let events;
    try {
      events = reviewDecisionEvents({ ...c, subjectKind, at: this.clock.now().toISOString() });
    } catch (e) {
      if (e instanceof ReviewDecisionError) throw new GraphQLError(e.message, { extensions: { code: e.code, field: e.field } });
      throw e;
    }
    await this.log.append(events);
    const id = events[0].id;
    const deadline = Date.now() + CATCH_UP_TIMEOUT_MS;
    for (;;) {
      // A retry finds the first recording of this decision, with its own note and time.
      const stored = await this.store.decision(id);
      if (stored) return stored;
      if (Date.now() > deadline) {
        throw new GraphQLError(`timed out waiting for review decision ${id} to be projected; is the postgres projection running?`, {
          extensions: { code: 'PROJECTION_UNAVAILABLE' },
        });
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  private async kindOf(subjectId: string, asked?: ReviewSubjectKind): Promise<ReviewSubjectKind> {
    const kinds = await this.store.kindsOf(subjectId);
    if (asked !== undefined) {
      if (!kinds.includes(asked)) throw new ReportInputError('subjectId', `no ${asked} ${subjectId}`);
      return asked;
    }
    if (kinds.length === 0) throw new ReportInputError('subjectId', `no lead or opportunity ${subjectId} (not yet projected?)`);
    if (kinds.length > 1) throw new ReportInputError('subjectKind', `${subjectId} is both a lead and an opportunity id: say which`);
    return kinds[0];
  }
}
