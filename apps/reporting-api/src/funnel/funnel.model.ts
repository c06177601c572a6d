import { Field, Float, Int, ObjectType } from '@nestjs/graphql';
import { FunnelStageEnum } from '../common/graphql-enums';

@ObjectType({ description: 'One stage of the funnel for a cohort: entered explicitly, reached (entered or a later stage), skipped = reached - entered' })
export class FunnelStageRow {
  @Field(() => FunnelStageEnum) stage!: string;
  @Field(() => Int) entered!: number;
  @Field(() => Int) reached!: number;
  @Field(() => Int) skipped!: number;
  @Field(() => Float, { nullable: true, description: 'reached(k) / reached(k-1); null for the first stage or a zero divisor' })
  conversionFromPrevious!: number | null;
  @Field(() => Float, { nullable: true, description: 'reached(k) / reached(anchor); null for a zero divisor' })
  conversionFromAnchor!: number | null;
}

@ObjectType()
export class FunnelGroup {
  @Field(() => String, { nullable: true, description: 'Breakdown key; null when the report has no breakdown' })
  key!: string | null;
  @Field(() => [FunnelStageRow]) stages!: FunnelStageRow[];
}

@ObjectType()
export class FunnelReport {
  @Field(() => Int, { description: 'Funnel definition version the report ran against' }) definitionVersion!: number;
  @Field(() => [FunnelGroup]) groups!: FunnelGroup[];
}
