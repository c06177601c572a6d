import { Inject, Injectable } from '@nestjs/common';
import type { ReviewDecision, ReviewDecisionRecorded, ReviewSubjectKind } from '@funnel/contracts';
import { ReviewDecisionError, reviewDecisionEvents } from '@funnel/domain';
import { EVENT_LOG, type EventLog } from '@funnel/event-log';
import { GraphQLError } from 'graphql';
import { CLOCK, type Clock } from '../common/clock';
import { untilProjected } from '../common/until-projected';
import { ReportInputError } from '../common/report-input.error';
import { ReviewDecisionStore } from './review-decision.store';

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
    await this.log.append(events, { writer: c.by });
    const id = events[0].id;
    let stored: ReviewDecisionRecorded | undefined;
    await untilProjected(async () => (stored = await this.store.decision(id)) !== undefined, `review decision ${id} to be projected`);
    // A retry gets the first recording of this decision, with its own note and time.
    return stored as ReviewDecisionRecorded;
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
