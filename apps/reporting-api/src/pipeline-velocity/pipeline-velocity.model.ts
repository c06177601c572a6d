import { Field, Float, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'openOpportunities x winRate x avgWonAmount / avgCycleDays, as of a date over a trailing window' })
export class PipelineVelocity {
  @Field(() => Int) openOpportunities!: number;
  @Field(() => Float, { nullable: true }) winRate!: number | null;
  @Field(() => Float, { nullable: true }) avgWonAmount!: number | null;
  @Field(() => Float, { nullable: true }) avgCycleDays!: number | null;
  @Field(() => Float, { nullable: true }) velocityPerDay!: number | null;
  @Field(() => Int) definitionVersion!: number;
}
