import { Field, Float, Int, ObjectType } from '@nestjs/graphql';
import { FunnelStageEnum } from '../common/graphql-enums';
import { TeamEnum } from '../definitions/definition.model';

@ObjectType({ description: 'One key of `by` in both cohorts; effects null when either cohort is empty' })
export class ConversionChangeRow {
  @Field() key!: string;
  @Field(() => Int) baseLeads!: number;
  @Field(() => Int) leads!: number;
  @Field(() => Int) baseConverted!: number;
  @Field(() => Int) converted!: number;
  @Field(() => Float, { nullable: true }) baseShare!: number | null;
  @Field(() => Float, { nullable: true }) share!: number | null;
  @Field(() => Float, { nullable: true, description: 'Null when the key has no base leads (the other rate is used in the effects)' }) baseRate!: number | null;
  @Field(() => Float, { nullable: true }) rate!: number | null;
  @Field(() => Float, { nullable: true, description: '(share − baseShare)·(baseRate + rate)/2: where the leads came from' }) mixEffect!: number | null;
  @Field(() => Float, { nullable: true, description: '(rate − baseRate)·(baseShare + share)/2: how this kind of lead converted' }) rateEffect!: number | null;
}

@ObjectType({ description: 'One step of the unified order from anchor to target, and the team that owns it' })
export class ConversionStep {
  @Field(() => FunnelStageEnum) fromStage!: string;
  @Field(() => FunnelStageEnum) toStage!: string;
  @Field(() => TeamEnum, { description: 'MARKETING for a step ending at MQL or earlier, SALES otherwise' }) owner!: string;
  @Field(() => Float, { nullable: true }) baseRate!: number | null;
  @Field(() => Float, { nullable: true }) rate!: number | null;
  @Field(() => Float, { nullable: true, description: 'ln(rate / baseRate); they sum to ln(rate / baseRate) of the whole when none is null' }) logChange!: number | null;
}

@ObjectType({ description: 'Who moved the number: the change of the conversion rate split into mix and rate effects' })
export class ConversionChange {
  @Field(() => Int) definitionVersion!: number;
  @Field(() => Int) baseLeads!: number;
  @Field(() => Int) leads!: number;
  @Field(() => Float, { nullable: true }) baseRate!: number | null;
  @Field(() => Float, { nullable: true }) rate!: number | null;
  @Field(() => Float, { nullable: true, description: 'rate − baseRate = mixEffect + rateEffect' }) change!: number | null;
  @Field(() => Float, { nullable: true }) mixEffect!: number | null;
  @Field(() => Float, { nullable: true }) rateEffect!: number | null;
  @Field(() => [ConversionChangeRow]) rows!: ConversionChangeRow[];
  @Field(() => [ConversionStep]) steps!: ConversionStep[];
}
