import { DateTimeScalar } from '../common/date-time.scalar';
import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import { runCohorts } from '@funnel/reporting';
import type { FunnelStage, Grain } from '@funnel/domain';
import { FunnelStageEnum, GrainEnum } from '../common/graphql-enums';
import { iso, nonNegative, period } from '../common/report-args';
import { REPORT_COMPLEXITY } from '../common/query-complexity.plugin';
import { ReportContext } from '../common/report-context';
import { CohortRow } from './cohorts.model';

@Resolver()
export class CohortsResolver {
  constructor(private readonly ctx: ReportContext) {}

  @Query(() => [CohortRow], {
    complexity: REPORT_COMPLEXITY, description: 'Conversion to target per calendar cohort of the anchor reach time, ascending' })
  async cohorts(
    @Args('from', { type: () => DateTimeScalar }) from: Date,
    @Args('to', { type: () => DateTimeScalar }) to: Date,
    @Args('grain', { type: () => GrainEnum }) grain: Grain,
    @Args('target', { type: () => FunnelStageEnum }) target: FunnelStage,
    @Args('anchor', { type: () => FunnelStageEnum, nullable: true, defaultValue: 'CAPTURED' }) anchor: FunnelStage,
    @Args('windowDays', { type: () => Int, nullable: true }) windowDays?: number,
    @Args('asOf', { type: () => DateTimeScalar, nullable: true, description: 'Default: now' }) asOf?: Date,
    @Args('definitionVersion', { type: () => Int, nullable: true }) definitionVersion?: number,
  ): Promise<CohortRow[]> {
    const definition = await this.ctx.definition(definitionVersion);
    const rows = await runCohorts(this.ctx.ch, {
      ...period(from, to),
      grain,
      target,
      anchor,
      windowDays: nonNegative('windowDays', windowDays),
      asOf: iso(asOf ?? new Date()),
    });
    return rows.map((r) => ({ ...r, definitionVersion: definition.version }));
  }
}
