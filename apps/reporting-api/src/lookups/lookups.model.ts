import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'One event as accepted into the log' })
export class EventRecord {
  @Field(() => ID) id!: string;
  @Field() type!: string;
  @Field() occurredAt!: Date;
  @Field({ description: 'The event data as JSON text' }) data!: string;
}

@ObjectType()
export class StageEntry {
  @Field() stage!: string;
  @Field() enteredAt!: Date;
}

@ObjectType({ description: 'A lead\'s personal data (DESIGN §8), decrypted for admins only' })
export class LeadContact {
  @Field(() => String, { nullable: true }) email!: string | null;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => String, { nullable: true }) phone!: string | null;
}

@ObjectType({ description: 'Current state of a lead (PostgreSQL read model)' })
export class Lead {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) accountId!: string | null;
  @Field({ description: 'Earliest event of the lead' }) firstSeenAt!: Date;
  @Field(() => Date, { nullable: true, description: 'Earliest LeadCaptured; null if never captured' }) capturedAt!: Date | null;
  @Field(() => String, { nullable: true }) sourceCampaignId!: string | null;
  @Field(() => String, { nullable: true }) channel!: string | null;
  @Field(() => String, { nullable: true }) segment!: string | null;
  @Field(() => String, { nullable: true }) region!: string | null;
  @Field(() => String, { nullable: true }) product!: string | null;
  @Field(() => String, { nullable: true, description: 'Latest LeadAssigned owner' }) ownerId!: string | null;
  @Field(() => String, { nullable: true, description: 'Latest LeadStageChanged stage (regressions show here)' }) currentStage!: string | null;
  @Field(() => Float, { nullable: true }) score!: number | null;
  @Field(() => Boolean, { nullable: true }) budget!: boolean | null;
  @Field(() => Boolean, { nullable: true }) authority!: boolean | null;
  @Field(() => Boolean, { nullable: true }) need!: boolean | null;
  @Field(() => Int, { nullable: true }) timelineDays!: number | null;
  @Field(() => String, { nullable: true }) disposition!: string | null;
  @Field(() => Date, { nullable: true }) firstActivityAt!: Date | null;
  @Field(() => [StageEntry], { description: 'Explicit entries: CAPTURED, MQL, SAL, SQL, OPPORTUNITY, WON' }) stageEntries!: StageEntry[];
  @Field(() => [ID]) opportunityIds!: string[];
}

@ObjectType({ description: 'Current state of an opportunity (PostgreSQL read model)' })
export class Opportunity {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) accountId!: string | null;
  @Field(() => String, { nullable: true }) ownerId!: string | null;
  @Field(() => Date, { nullable: true, description: 'null until an OpportunityCreated arrives' }) createdAt!: Date | null;
  @Field(() => String, { nullable: true }) stage!: string | null;
  @Field(() => Float, { nullable: true }) amount!: number | null;
  @Field({ description: 'open, won or lost (latest won/lost/reopened event)' }) status!: string;
  @Field(() => Date, { nullable: true, description: 'Earliest OpportunityWon' }) wonAt!: Date | null;
  @Field(() => String, { nullable: true }) lostReason!: string | null;
  @Field(() => String, { nullable: true }) nextStep!: string | null;
  @Field(() => Date, { nullable: true }) nextStepDueAt!: Date | null;
  @Field(() => [ID]) leadIds!: string[];
}

@ObjectType()
export class Campaign {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => String, { nullable: true }) channel!: string | null;
  @Field(() => Float, { nullable: true }) budget!: number | null;
  @Field(() => Date, { nullable: true }) launchedAt!: Date | null;
  @Field(() => Float, { description: 'Sum of all recorded costs' }) totalCost!: number;
}
