import { Field, Float, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'Speed to lead for MQLs of the period: clock from MQL reach to the first activity' })
export class SlaRow {
  @Field(() => String, { nullable: true }) key!: string | null;
  @Field(() => Int) met!: number;
  @Field(() => Int) breached!: number;
  @Field(() => Int) pending!: number;
  @Field(() => Float, { nullable: true, description: 'met / (met + breached)' }) complianceRate!: number | null;
  @Field(() => Int, { description: 'No activity at all at or before asOf' }) neverFollowedUp!: number;
  @Field(() => Float, { nullable: true }) p50MinutesToFirstActivity!: number | null;
  @Field(() => Int) definitionVersion!: number;
  @Field(() => Int, { description: 'SLA limit used, from the definition' }) speedToLeadMinutes!: number;
}
