import { Field, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'The lead ids behind each bucket' })
export class ReconciliationLeadIds {
  @Field(() => [ID]) won!: string[];
  @Field(() => [ID]) lost!: string[];
  @Field(() => [ID]) opportunityOpen!: string[];
  @Field(() => [ID]) qualifiedNoOpportunity!: string[];
  @Field(() => [ID]) rejected!: string[];
  @Field(() => [ID]) acceptedNotQualified!: string[];
  @Field(() => [ID]) neverAccepted!: string[];
}

@ObjectType({ description: "Marketing's MQLs of the period, each in exactly one bucket by its current sales outcome" })
export class ReconciliationRow {
  @Field(() => String, { nullable: true }) key!: string | null;
  @Field(() => Int) mqls!: number;
  @Field(() => Int) won!: number;
  @Field(() => Int) lost!: number;
  @Field(() => Int) opportunityOpen!: number;
  @Field(() => Int) qualifiedNoOpportunity!: number;
  @Field(() => Int) rejected!: number;
  @Field(() => Int) acceptedNotQualified!: number;
  @Field(() => Int) neverAccepted!: number;
  @Field(() => ReconciliationLeadIds, { description: 'Fetched only when selected' }) leadIds!: ReconciliationLeadIds;
  @Field(() => Int) definitionVersion!: number;
}
