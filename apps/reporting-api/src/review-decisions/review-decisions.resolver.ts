import { CurrentPrincipal, type Principal } from '@funnel/platform';
import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { LogEvent, ReviewDecision, ReviewDecisionRecorded, ReviewSubjectKind } from '@funnel/contracts';
import { DateTimeScalar } from '../common/date-time.scalar';
import { iso, period } from '../common/report-args';
import { EventRecord } from '../lookups/lookups.model';
import { ReviewDecisionRecord, ReviewDecisionEnum, ReviewMeeting, ReviewSubjectKindEnum } from './review-decision.model';
import { ReviewDecisionRecorder } from './review-decision.recorder';
import { ReviewDecisionStore } from './review-decision.store';

type DecisionRecord = Omit<ReviewDecisionRecord, 'since'>;

const recordOf = (e: ReviewDecisionRecorded): DecisionRecord => ({
  id: e.id,
  weekOf: new Date(e.data.weekOf),
  subjectId: e.data.subjectId,
  subjectKind: e.data.subjectKind,
  decision: e.data.decision,
  note: e.data.note ?? null,
  decidedBy: e.data.by,
  decidedAt: new Date(e.occurredAt),
  appliedEventId: e.data.appliedEventId ?? null,
});

const eventRecordOf = (e: LogEvent): EventRecord => ({ id: e.id, type: e.type, occurredAt: new Date(e.occurredAt), data: JSON.stringify(e.data) });

/** The weekly review: record a decision on a sampled subject (and apply it), and look back at the meetings. */
@Resolver(() => ReviewDecisionRecord)
export class ReviewDecisionsResolver {
  constructor(
    private readonly recorder: ReviewDecisionRecorder,
    private readonly store: ReviewDecisionStore,
  ) {}

  @Mutation(() => ReviewDecisionRecord, {
    description: 'Records a review decision by the caller and applies it; recording the same decision again adds nothing',
  })
  async recordReviewDecision(
    @Args('weekOf', { type: () => DateTimeScalar }) weekOf: Date,
    @Args('subjectId', { type: () => ID }) subjectId: string,
    @Args('decision', { type: () => ReviewDecisionEnum }) decision: ReviewDecision,
    @CurrentPrincipal() caller: Principal,
    @Args('note', { type: () => String, nullable: true }) note?: string,
    @Args('subjectKind', { type: () => ReviewSubjectKindEnum, nullable: true, description: 'Only when the id names both a lead and an opportunity' })
    subjectKind?: ReviewSubjectKind,
  ): Promise<DecisionRecord> {
    const recorded = await this.recorder.record({
      weekOf: iso(weekOf),
      subjectId,
      decision,
      by: caller.name,
      ...(note !== undefined && note !== null ? { note } : {}),
      ...(subjectKind ? { subjectKind } : {}),
    });
    return recordOf(recorded);
  }

  @Query(() => [ReviewMeeting], { description: 'The review meetings whose weekOf is in [from, to), their decisions, and what happened since' })
  async reviewHistory(
    @Args('from', { type: () => DateTimeScalar }) from: Date,
    @Args('to', { type: () => DateTimeScalar }) to: Date,
  ): Promise<ReviewMeeting[]> {
    const p = period(from, to);
    const meetings = new Map<string, DecisionRecord[]>();
    for (const e of await this.store.decisions(p.from, p.to)) {
      const week = new Date(e.data.weekOf).toISOString();
      meetings.set(week, [...(meetings.get(week) ?? []), recordOf(e)]);
    }
    return [...meetings].map(([weekOf, decisions]) => ({ weekOf: new Date(weekOf), decisions: decisions as ReviewDecisionRecord[] }));
  }

  @ResolveField(() => [EventRecord])
  async since(@Parent() d: DecisionRecord): Promise<EventRecord[]> {
    return (await this.store.since(d.subjectKind as ReviewSubjectKind, d.subjectId, iso(d.decidedAt), d.id)).map(eventRecordOf);
  }
}
