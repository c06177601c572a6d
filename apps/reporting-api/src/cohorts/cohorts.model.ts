import { Field, Float, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'A calendar cohort of the anchor reach time' })
export class CohortRow {
  @Field({ description: 'DAY YYYY-MM-DD, WEEK YYYY-Www (ISO), MONTH YYYY-MM' }) cohort!: string;
  @Field(() => Int) size!: number;
  @Field(() => Int, { description: 'Cohort leads that reached the target (within windowDays of the anchor when given)' }) converted!: number;
  @Field(() => Float, { nullable: true }) rate!: number | null;
  @Field(() => Float, { description: 'Share of the cohort whose anchor is at least windowDays before asOf; 1 without a window' })
  maturity!: number;
  @Field(() => Int) definitionVersion!: number;
}
