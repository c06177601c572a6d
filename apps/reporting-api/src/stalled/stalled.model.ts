import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'An open opportunity with at least one stall reason as of the report time' })
export class StalledOpportunity {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) stage!: string | null;
  @Field(() => Float, { nullable: true }) amount!: number | null;
  @Field(() => String, { nullable: true }) ownerId!: string | null;
  @Field(() => Float) daysInStage!: number;
  @Field(() => [String], { description: 'STALLED_IN_STAGE, NEXT_STEP_OVERDUE, NO_NEXT_STEP' }) reasons!: string[];
}

@ObjectType()
export class StalledOpportunityEdge {
  @Field() cursor!: string;
  @Field(() => StalledOpportunity) node!: StalledOpportunity;
}

@ObjectType()
export class PageInfo {
  @Field() hasNextPage!: boolean;
  @Field() hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true }) startCursor!: string | null;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

@ObjectType()
export class StalledOpportunityConnection {
  @Field(() => Int) totalCount!: number;
  @Field(() => [StalledOpportunityEdge]) edges!: StalledOpportunityEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int) definitionVersion!: number;
}
