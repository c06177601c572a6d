import { Field, Float, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'Effort against progress in the period, per lead key (default the lead owner)' })
export class ActivityMovementRow {
  @Field(() => String, { nullable: true }) key!: string | null;
  @Field(() => Int, { description: 'LeadActivityLogged events in the period' }) activities!: number;
  @Field(() => Int, { description: 'Explicit stage entries (MQL, SAL, SQL, OPPORTUNITY, WON) in the period' }) movements!: number;
  @Field(() => Int) leadsWorked!: number;
  @Field(() => Int) leadsMoved!: number;
  @Field(() => Int) leadsWorkedNotMoved!: number;
  @Field(() => Float, { nullable: true, description: 'activities / movements' }) activitiesPerMovement!: number | null;
}
