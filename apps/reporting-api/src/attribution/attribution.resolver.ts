import { DateTimeScalar } from '../common/date-time.scalar';
import { Args, Float, Int, Query, Resolver } from '@nestjs/graphql';
import { runAttribution } from '@funnel/reporting';
import type { AttributionModel, Dimension, Milestone } from '@funnel/domain';
import { AttributionModelEnum, DimensionEnum, MilestoneEnum } from '../common/graphql-enums';
import { halfLifeDays as halfLifeDaysArg, nonNegative, period } from '../common/report-args';
import { REPORT_COSTS } from '../common/query-complexity.plugin';
import { ReportContext } from '../common/report-context';
import { ReportInputError } from '../common/report-input.error';
import { AttributionReport } from './attribution.model';
import { NONE_KEY } from '@funnel/domain';
import { warnIfNoTouches } from '../warnings/data-quality';
import { Warnings } from '../warnings/warnings.decorator';
import type { FieldWarnings } from '../warnings/report-warnings';


@Resolver()
export class AttributionResolver {
  constructor(private readonly ctx: ReportContext) {}

  @Query(() => AttributionReport, {
    complexity: REPORT_COSTS.attribution, description: 'Closed-loop credit per campaign or channel for conversions whose milestone is in [from, to)' })
  async attribution(
    @Args('from', { type: () => DateTimeScalar }) from: Date,
    @Args('to', { type: () => DateTimeScalar }) to: Date,
    @Args('model', { type: () => AttributionModelEnum }) model: AttributionModel,
    @Args('milestone', { type: () => MilestoneEnum }) milestone: Milestone,
    @Args('by', { type: () => DimensionEnum, nullable: true, defaultValue: 'CAMPAIGN' }) by: Dimension,
    @Args('lookbackDays', { type: () => Int, nullable: true }) lookbackDays?: number,
    @Args('halfLifeDays', { type: () => Float, nullable: true }) halfLifeDays?: number,
    @Args('definitionVersion', { type: () => Int, nullable: true }) definitionVersion?: number,
    @Warnings() warnings?: FieldWarnings,
  ): Promise<AttributionReport> {
    if (by !== 'CAMPAIGN' && by !== 'CHANNEL') {
      throw new ReportInputError('by', `attribution keys touches by CAMPAIGN or CHANNEL, not ${by}`);
    }
    const definition = await this.ctx.definition(definitionVersion);
    const lookback = nonNegative('lookbackDays', lookbackDays) ?? definition.attributionLookbackDays;
    const halfLife = halfLifeDays == null ? definition.attributionHalfLifeDays : halfLifeDaysArg('halfLifeDays', halfLifeDays);
    const report = await runAttribution(this.ctx.ch, {
      ...period(from, to),
      model,
      milestone,
      by,
      lookbackDays: lookback,
      halfLifeDays: halfLife,
    });
    if (warnings) warnIfNoTouches(report, NONE_KEY, warnings);
    return { ...report, definitionVersion: definition.version, lookbackDays: lookback, halfLifeDays: halfLife };
  }
}
