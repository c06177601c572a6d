import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { SLA_LEVELS } from '@funnel/contracts';
import { DateTimeScalar } from '../common/date-time.scalar';
import { PageInfo } from '../stalled/stalled.model';

export const ALERT_DELIVERY_STATUSES = ['PENDING', 'DELIVERED', 'FAILED', 'SKIPPED'] as const;
export const AlertDeliveryStatusEnum = Object.fromEntries(ALERT_DELIVERY_STATUSES.map((s) => [s, s])) as Record<(typeof ALERT_DELIVERY_STATUSES)[number], string>;
registerEnumType(AlertDeliveryStatusEnum, {
  name: 'AlertDeliveryStatus',
  description: 'PENDING (being tried), DELIVERED (a 2xx answer), FAILED (every try failed), SKIPPED (recorded, not notified)',
});
export const SlaLevelEnum = Object.fromEntries(SLA_LEVELS.map((s) => [s, s])) as Record<(typeof SLA_LEVELS)[number], string>;
registerEnumType(SlaLevelEnum, { name: 'SlaLevel' });

@ObjectType()
export class AlertDeliveryAttempt {
  @Field(() => Int, { description: '1 for the first try' }) attempt!: number;
  @Field(() => DateTimeScalar) at!: Date;
  @Field(() => Int, { nullable: true, description: 'The receiver\'s HTTP status; null when it never answered' }) httpStatus!: number | null;
  @Field(() => String, { nullable: true }) error!: string | null;
}

@ObjectType({ description: 'The webhook alert of one LeadSlaBreached event' })
export class AlertDelivery {
  @Field(() => ID, { description: 'The breach event id, sent as X-Funnel-Delivery' }) id!: string;
  @Field(() => ID) leadId!: string;
  @Field(() => SlaLevelEnum) level!: string;
  @Field(() => DateTimeScalar) deadline!: Date;
  @Field(() => DateTimeScalar, { description: 'When the checker found the breach' }) foundAt!: Date;
  @Field(() => AlertDeliveryStatusEnum) status!: string;
  @Field(() => String, { nullable: true, description: 'Why it was skipped, or the last failure' }) reason!: string | null;
  @Field(() => Int) attemptCount!: number;
  @Field(() => DateTimeScalar, { nullable: true }) nextAttemptAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) deliveredAt!: Date | null;
  @Field(() => [AlertDeliveryAttempt]) attempts!: AlertDeliveryAttempt[];
}

@ObjectType()
export class AlertDeliveryEdge {
  @Field() cursor!: string;
  @Field(() => AlertDelivery) node!: AlertDelivery;
}

@ObjectType({ description: 'A page of alert deliveries, oldest found first' })
export class AlertDeliveryConnection {
  @Field(() => Int, { description: 'Deliveries with this status, all pages' }) totalCount!: number;
  @Field(() => [AlertDeliveryEdge]) edges!: AlertDeliveryEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}
