import { Inject } from '@nestjs/common';
import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import { DateTimeScalar } from '../common/date-time.scalar';
import { runCohorts } from '@funnel/reporting';
import type { FunnelStage, Grain } from '@funnel/domain';
import { CLOCK, type Clock } from '../common/clock';
import { FunnelStageEnum, GrainEnum } from '../common/graphql-enums';
import { iso, nonNegative, period } from '../common/report-args';
import { REPORT_COSTS } from '../common/query-complexity.plugin';
import { ReportContext } from '../common/report-context';
import { CohortRow } from './cohorts.model';
import { warnIfImmature } from '../warnings/data-quality';
import { Warnings } from '../warnings/warnings.decorator';
import type { FieldWarnings } from '../warnings/report-warnings';


@Resolver()
export class CohortsResolver {
  constructor(
    private readonly ctx: ReportContext,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Query(() => [CohortRow], {
    complexity: REPORT_COSTS.cohorts, description: 'Conversion to target per calendar cohort of the anchor reach time, ascending' })
  async cohorts(
    @Args('from', { type: () => DateTimeScalar }) from: Date,
    @Args('to', { type: () => DateTimeScalar }) to: Date,
    @Args('grain', { type: () => GrainEnum }) grain: Grain,
    @Args('target', { type: () => FunnelStageEnum }) target: FunnelStage,
    @Args('anchor', { type: () => FunnelStageEnum, nullable: true, defaultValue: 'CAPTURED' }) anchor: FunnelStage,
    @Args('windowDays', { type: () => Int, nullable: true }) windowDays?: number,
    @Args('asOf', { type: () => DateTimeScalar, nullable: true, description: 'Default: now' }) asOf?: Date,
    @Args('definitionVersion', { type: () => Int, nullable: true }) definitionVersion?: number,
    @Warnings() warnings?: FieldWarnings,
  ): Promise<CohortRow[]> {
    const definition = await this.ctx.definition(definitionVersion);
    const rows = await runCohorts(this.ctx.ch, {
      ...period(from, to),
      grain,
      target,
      anchor,
      windowDays: nonNegative('windowDays', windowDays),
      asOf: iso(asOf ?? this.clock.now()),
    });
    if (warnings) warnIfImmature(rows, warnings);
    return rows.map((r) => ({ ...r, definitionVersion: definition.version }));
  }
}
