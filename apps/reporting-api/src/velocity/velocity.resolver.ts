import { DateTimeScalar } from '../common/date-time.scalar';
import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import { runVelocity } from '@funnel/reporting';
import type { Dimension, FunnelStage } from '@funnel/domain';
import { DimensionEnum, FunnelStageEnum } from '../common/graphql-enums';
import { period } from '../common/report-args';
import { REPORT_COSTS } from '../common/query-complexity.plugin';
import { ReportContext } from '../common/report-context';
import { VelocityRow } from './velocity.model';

@Resolver()
export class VelocityResolver {
  constructor(private readonly ctx: ReportContext) {}

  @Query(() => [VelocityRow], {
    complexity: REPORT_COSTS.velocity, description: 'Stage-to-stage speed for leads that reached fromStage in [from, to)' })
  async velocity(
    @Args('from', { type: () => DateTimeScalar }) from: Date,
    @Args('to', { type: () => DateTimeScalar }) to: Date,
    @Args('fromStage', { type: () => FunnelStageEnum }) fromStage: FunnelStage,
    @Args('toStage', { type: () => FunnelStageEnum }) toStage: FunnelStage,
    @Args('breakdown', { type: () => DimensionEnum, nullable: true }) breakdown?: Dimension,
    @Args('definitionVersion', { type: () => Int, nullable: true }) definitionVersion?: number,
  ): Promise<VelocityRow[]> {
    const definition = await this.ctx.definition(definitionVersion);
    const rows = await runVelocity(this.ctx.ch, { ...period(from, to), fromStage, toStage, breakdown: breakdown ?? undefined });
    return rows.map((r) => ({ ...r, definitionVersion: definition.version }));
  }
}
