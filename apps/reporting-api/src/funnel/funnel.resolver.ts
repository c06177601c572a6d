import { DateTimeScalar } from '../common/date-time.scalar';
import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import { runFunnel } from '@funnel/reporting';
import type { Dimension, FunnelStage } from '@funnel/domain';
import { DimensionEnum, FunnelStageEnum } from '../common/graphql-enums';
import { nonNegative, period } from '../common/report-args';
import { REPORT_COSTS } from '../common/query-complexity.plugin';
import { ReportContext } from '../common/report-context';
import { FunnelReport } from './funnel.model';

@Resolver()
export class FunnelResolver {
  constructor(private readonly ctx: ReportContext) {}

  @Query(() => FunnelReport, {
    complexity: REPORT_COSTS.funnel, description: 'Stage counts and conversion of the leads whose anchor stage was reached in [from, to)' })
  async funnel(
    @Args('from', { type: () => DateTimeScalar }) from: Date,
    @Args('to', { type: () => DateTimeScalar }) to: Date,
    @Args('anchor', { type: () => FunnelStageEnum, nullable: true, defaultValue: 'CAPTURED' }) anchor: FunnelStage,
    @Args('windowDays', { type: () => Int, nullable: true }) windowDays?: number,
    @Args('breakdown', { type: () => DimensionEnum, nullable: true }) breakdown?: Dimension,
    @Args('definitionVersion', { type: () => Int, nullable: true }) definitionVersion?: number,
  ): Promise<FunnelReport> {
    const definition = await this.ctx.definition(definitionVersion);
    const groups = await runFunnel(this.ctx.ch, {
      ...period(from, to),
      anchor,
      windowDays: nonNegative('windowDays', windowDays),
      breakdown: breakdown ?? undefined,
    });
    return { definitionVersion: definition.version, groups };
  }
}
