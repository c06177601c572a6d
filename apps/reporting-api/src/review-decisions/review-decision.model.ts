import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { REVIEW_DECISIONS, REVIEW_SUBJECT_KINDS } from '@funnel/contracts';
import { EventRecord } from '../lookups/lookups.model';

const asEnum = <T extends string>(values: readonly T[]) => Object.fromEntries(values.map((v) => [v, v])) as Record<T, T>;
export const ReviewDecisionEnum = asEnum(REVIEW_DECISIONS);
export const ReviewSubjectKindEnum = asEnum(REVIEW_SUBJECT_KINDS);
registerEnumType(ReviewDecisionEnum, {
  name: 'ReviewDecision',
  description: 'ADVANCE: a commitment only; ELIMINATE: the lead is dispositioned, the opportunity lost (review_eliminated); RECYCLE: the lead goes back to marketing',
});
registerEnumType(ReviewSubjectKindEnum, { name: 'ReviewSubjectKind' });

@ObjectType({ description: 'A decision of the weekly review, and what happened to its subject since' })
export class ReviewDecisionRecord {
  @Field(() => ID, { description: 'The ReviewDecisionRecorded event id' }) id!: string;
  @Field() weekOf!: Date;
  @Field(() => ID) subjectId!: string;
  @Field(() => ReviewSubjectKindEnum) subjectKind!: string;
  @Field(() => ReviewDecisionEnum) decision!: string;
  @Field(() => String, { nullable: true }) note!: string | null;
  @Field({ description: 'Who decided: the authenticated caller' }) decidedBy!: string;
  @Field() decidedAt!: Date;
  @Field(() => ID, { nullable: true, description: 'The event the decision appended (none for ADVANCE)' }) appliedEventId!: string | null;
  @Field(() => [EventRecord], { description: "The subject's events from the decision on (the applied one included), in business-time order" })
  since!: EventRecord[];
}

@ObjectType({ description: 'One weekly review meeting: the decisions recorded for its weekOf' })
export class ReviewMeeting {
  @Field() weekOf!: Date;
  @Field(() => [ReviewDecisionRecord]) decisions!: ReviewDecisionRecord[];
}
