import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { REVIEW_STRATA } from '@funnel/domain';

export const ReviewStratumEnum = Object.fromEntries(REVIEW_STRATA.map((v) => [v, v])) as Record<(typeof REVIEW_STRATA)[number], string>;
registerEnumType(ReviewStratumEnum, {
  name: 'ReviewStratum',
  description: 'ACCEPTED: SAL entered in the week; REJECTED: dispositioned in the week; SLA_BREACHED: speed-to-lead deadline in the week missed; STALLED: opportunity stalled at weekOf',
});

@ObjectType()
export class ReviewItem {
  @Field(() => ReviewStratumEnum) stratum!: string;
  @Field(() => ID, { description: 'A lead id, or an opportunity id for STALLED' }) subjectId!: string;
}

@ObjectType({ description: 'The weekly review sample of [weekOf − 7 days, weekOf): the same arguments always give the same sample' })
export class ReviewSample {
  @Field() weekOf!: Date;
  @Field(() => Int) seed!: number;
  @Field(() => Int, { description: 'The size asked for; items may be fewer when the strata hold fewer' }) size!: number;
  @Field(() => [ReviewItem], { description: 'In stratum order, then rank' }) items!: ReviewItem[];
  @Field(() => Int) definitionVersion!: number;
}
