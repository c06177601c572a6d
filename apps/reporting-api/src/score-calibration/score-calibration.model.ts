import { Field, Float, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'MQLs per score band at MQL entry, with SQL and WON rates and 95% Wilson intervals' })
export class ScoreBandRow {
  @Field({ description: '"lower-upper", or (none) for MQLs never scored before MQL' }) band!: string;
  @Field(() => Float, { nullable: true }) lower!: number | null;
  @Field(() => Float, { nullable: true }) upper!: number | null;
  @Field(() => Int) leads!: number;
  @Field(() => Int) toSql!: number;
  @Field(() => Int) toWon!: number;
  @Field(() => Float, { nullable: true }) sqlRate!: number | null;
  @Field(() => Float, { nullable: true }) sqlRateLow!: number | null;
  @Field(() => Float, { nullable: true }) sqlRateHigh!: number | null;
  @Field(() => Float, { nullable: true }) wonRate!: number | null;
  @Field(() => Float, { nullable: true }) wonRateLow!: number | null;
  @Field(() => Float, { nullable: true }) wonRateHigh!: number | null;
  @Field(() => Int) definitionVersion!: number;
}
