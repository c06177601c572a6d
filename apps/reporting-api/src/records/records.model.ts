import { Field, InputType, Int, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from '../common/date-time.scalar';
import { FunnelStageEnum } from '../common/graphql-enums';
import { Lead, Opportunity } from '../lookups/lookups.model';
import { PageInfo } from '../stalled/stalled.model';

@InputType({ description: 'Leads to list; every field narrows the list, unset fields do not' })
export class LeadFilter {
  @Field(() => DateTimeScalar, { nullable: true, description: 'CAPTURED reach at or after (capture, else first event)' }) from?: Date;
  @Field(() => DateTimeScalar, { nullable: true, description: 'CAPTURED reach before' }) to?: Date;
  @Field(() => FunnelStageEnum, { nullable: true, description: 'Leads that reached this stage (entered it or a later one), as the funnel counts them' })
  stage?: string;
  @Field(() => String, { nullable: true, description: 'Channel as the funnel breaks down by it' }) channel?: string;
  @Field(() => String, { nullable: true, description: 'Source campaign' }) campaignId?: string;
  @Field(() => String, { nullable: true, description: 'Latest assignee' }) ownerId?: string;
  @Field(() => String, { nullable: true, description: 'open (no disposition), dispositioned, won (a linked opportunity is won) or lost' })
  status?: string;
}

@InputType({ description: 'Opportunities to list; every field narrows the list, unset fields do not' })
export class OpportunityFilter {
  @Field(() => DateTimeScalar, { nullable: true, description: 'Created at or after' }) from?: Date;
  @Field(() => DateTimeScalar, { nullable: true, description: 'Created before' }) to?: Date;
  @Field(() => String, { nullable: true, description: 'Current opportunity stage (free text, e.g. proposal)' }) stage?: string;
  @Field(() => String, { nullable: true, description: 'open, won or lost' }) status?: string;
  @Field(() => String, { nullable: true }) ownerId?: string;
  @Field(() => String, { nullable: true, description: 'A linked lead has this channel' }) channel?: string;
  @Field(() => String, { nullable: true, description: 'A linked lead has this source campaign' }) campaignId?: string;
}

@ObjectType()
export class LeadEdge {
  @Field() cursor!: string;
  @Field(() => Lead) node!: Lead;
}

@ObjectType({ description: 'A page of leads in id order' })
export class LeadConnection {
  @Field(() => Int, { description: 'Leads matching the filter, all pages' }) totalCount!: number;
  @Field(() => [LeadEdge]) edges!: LeadEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@ObjectType()
export class OpportunityEdge {
  @Field() cursor!: string;
  @Field(() => Opportunity) node!: Opportunity;
}

@ObjectType({ description: 'A page of opportunities in id order' })
export class OpportunityConnection {
  @Field(() => Int, { description: 'Opportunities matching the filter, all pages' }) totalCount!: number;
  @Field(() => [OpportunityEdge]) edges!: OpportunityEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}
