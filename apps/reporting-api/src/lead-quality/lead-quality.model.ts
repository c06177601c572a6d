import { Field, Float, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'MQLs whose speed-to-lead SLA was met vs breached, and how each group converted: quality vs handling' })
export class LeadQualityRow {
  @Field(() => String, { nullable: true }) key!: string | null;
  @Field(() => Int) metCount!: number;
  @Field(() => Int) metToSql!: number;
  @Field(() => Int) metToWon!: number;
  @Field(() => Float, { nullable: true }) metSqlRate!: number | null;
  @Field(() => Float, { nullable: true }) metWonRate!: number | null;
  @Field(() => Int) breachedCount!: number;
  @Field(() => Int) breachedToSql!: number;
  @Field(() => Int) breachedToWon!: number;
  @Field(() => Float, { nullable: true }) breachedSqlRate!: number | null;
  @Field(() => Float, { nullable: true }) breachedWonRate!: number | null;
  @Field(() => Int) definitionVersion!: number;
}
