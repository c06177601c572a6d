import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ROUTING_LEAD_LISTS } from '@funnel/domain';
import { PageInfo } from '../stalled/stalled.model';

export const RoutingLeadListEnum = Object.fromEntries(ROUTING_LEAD_LISTS.map((v) => [v, v])) as Record<(typeof ROUTING_LEAD_LISTS)[number], string>;
registerEnumType(RoutingLeadListEnum, {
  name: 'RoutingLeadList',
  description: 'UNASSIGNED: no assignment at or before asOf; IN_FALLBACK_QUEUE: the latest one is to a fallback queue',
});

@ObjectType({ description: 'Routing of the MQLs of the period: who got an owner, how fast, and who sits in a fallback queue' })
export class RoutingRow {
  @Field(() => String, { nullable: true }) key!: string | null;
  @Field(() => Int) mqls!: number;
  @Field(() => Int, { description: 'MQLs with at least one LeadAssigned at or before asOf' }) assigned!: number;
  @Field(() => Int) unassigned!: number;
  @Field(() => Float, { nullable: true, description: 'assigned / mqls' }) coverageRate!: number | null;
  @Field(() => Float, { nullable: true, description: 'First assignment − MQL reach (negative kept)' }) p50MinutesToAssignment!: number | null;
  @Field(() => Float, { nullable: true }) p90MinutesToAssignment!: number | null;
  @Field(() => Int, { description: 'Two or more assignments at or before asOf, to the same owner or not' }) reassigned!: number;
  @Field(() => Int, { description: "Latest assignment at or before asOf is to one of the definition's fallbackQueues" }) inFallbackQueue!: number;
  @Field(() => Int) definitionVersion!: number;
}

@ObjectType({ description: 'A lead behind a routing count' })
export class RoutingLead {
  @Field(() => ID) id!: string;
}

@ObjectType()
export class RoutingLeadEdge {
  @Field() cursor!: string;
  @Field(() => RoutingLead) node!: RoutingLead;
}

@ObjectType({ description: 'A page of the lead ids behind an unassigned or in-fallback-queue count, in id order' })
export class RoutingLeadConnection {
  @Field(() => Int) totalCount!: number;
  @Field(() => [RoutingLeadEdge]) edges!: RoutingLeadEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}
