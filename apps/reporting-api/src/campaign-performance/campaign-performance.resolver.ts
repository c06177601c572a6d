import { DateTimeScalar } from '../common/date-time.scalar';
import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import { runCampaignPerformance } from '@funnel/reporting';
import type { AttributionModel } from '@funnel/domain';
import { AttributionModelEnum } from '../common/graphql-enums';
import { period } from '../common/report-args';
import { REPORT_COSTS } from '../common/query-complexity.plugin';
import { ReportContext } from '../common/report-context';
import { CampaignPerformanceRow } from './campaign-performance.model';
import { warnIfNoCost } from '../warnings/data-quality';
import { Warnings } from '../warnings/warnings.decorator';
import type { FieldWarnings } from '../warnings/report-warnings';


@Resolver()
export class CampaignPerformanceResolver {
  constructor(private readonly ctx: ReportContext) {}

  @Query(() => [CampaignPerformanceRow], {
    complexity: REPORT_COSTS.campaignPerformance, description: 'Which campaigns produce pipeline that converts, and at what cost' })
  async campaignPerformance(
    @Args('from', { type: () => DateTimeScalar }) from: Date,
    @Args('to', { type: () => DateTimeScalar }) to: Date,
    @Args('model', { type: () => AttributionModelEnum, nullable: true, defaultValue: 'W_SHAPED' }) model: AttributionModel,
    @Args('definitionVersion', { type: () => Int, nullable: true }) definitionVersion?: number,
    @Warnings() warnings?: FieldWarnings,
  ): Promise<CampaignPerformanceRow[]> {
    const definition = await this.ctx.definition(definitionVersion);
    const rows = await runCampaignPerformance(this.ctx.ch, {
      ...period(from, to),
      model,
      lookbackDays: definition.attributionLookbackDays,
      halfLifeDays: definition.attributionHalfLifeDays,
    });
    if (warnings) warnIfNoCost(rows, warnings);
    return rows.map((r) => ({ ...r, definitionVersion: definition.version }));
  }
}
