import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'Campaign scorecard for a period: spend, sourced funnel and attributed pipeline and revenue' })
export class CampaignPerformanceRow {
  @Field(() => ID) campaignId!: string;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => String, { nullable: true }) channel!: string | null;
  @Field(() => Float, { description: 'Recorded costs prorated to the overlap of their period with [from, to)' }) cost!: number;
  @Field({ description: 'Whether a cost record of the campaign overlaps the period; false: cost is unknown and the cost ratios are null' })
  costRecorded!: boolean;
  @Field(() => Int, { description: 'Leads captured in the period with this source campaign' }) leads!: number;
  @Field(() => Int) mqls!: number;
  @Field(() => Int) sqls!: number;
  @Field(() => Float, { description: 'OPPORTUNITY_CREATED credit under the model' }) opportunities!: number;
  @Field(() => Float) attributedPipeline!: number;
  @Field(() => Float, { description: 'WON credit under the model' }) wonDeals!: number;
  @Field(() => Float) attributedRevenue!: number;
  @Field(() => Float, { nullable: true, description: 'cost / leads; null without leads or without a cost record in the period' }) costPerLead!: number | null;
  @Field(() => Float, { nullable: true, description: 'cost / wonDeals; null without won deals or without a cost record in the period' }) costPerWonDeal!: number | null;
  @Field(() => Float, { nullable: true, description: 'attributedRevenue / cost' }) roas!: number | null;
  @Field(() => Int) definitionVersion!: number;
}
