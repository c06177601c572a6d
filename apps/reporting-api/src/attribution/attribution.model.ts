import { Field, Float, Int, ObjectType } from '@nestjs/graphql';

@ObjectType()
export class AttributionRow {
  @Field({ description: 'Campaign id or channel of the credited touches; (none) for untouched conversions' }) key!: string;
  @Field(() => Float, { description: 'Share of conversions; credits sum to the number of conversions' }) credit!: number;
  @Field(() => Float, { description: 'credit x conversion amount' }) value!: number;
}

@ObjectType()
export class AttributionReport {
  @Field(() => Int) conversions!: number;
  @Field(() => Float) totalValue!: number;
  @Field(() => [AttributionRow]) rows!: AttributionRow[];
  @Field(() => Int) definitionVersion!: number;
  @Field(() => Int, { description: 'Lookback used (argument, else the definition)' }) lookbackDays!: number;
  @Field(() => Float, { description: 'TIME_DECAY half-life used (argument, else the definition)' }) halfLifeDays!: number;
}
