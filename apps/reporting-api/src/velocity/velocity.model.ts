import { Field, Float, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'Days from reaching fromStage to reaching toStage (negative kept); PERCENTILE.INC percentiles' })
export class VelocityRow {
  @Field(() => String, { nullable: true }) key!: string | null;
  @Field(() => Int) count!: number;
  @Field(() => Float, { nullable: true }) meanDays!: number | null;
  @Field(() => Float, { nullable: true }) p50Days!: number | null;
  @Field(() => Float, { nullable: true }) p90Days!: number | null;
  @Field(() => Int) definitionVersion!: number;
}
