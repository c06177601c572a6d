import { DateTimeScalar } from '../common/date-time.scalar';
import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import { runPipelineVelocity } from '@funnel/reporting';
import { DEFAULT_TRAILING_DAYS } from '@funnel/domain';
import { iso, nonNegative } from '../common/report-args';
import { REPORT_COSTS } from '../common/query-complexity.plugin';
import { ReportContext } from '../common/report-context';
import { PipelineVelocity } from './pipeline-velocity.model';

@Resolver()
export class PipelineVelocityResolver {
  constructor(private readonly ctx: ReportContext) {}

  @Query(() => PipelineVelocity, {
    complexity: REPORT_COSTS.pipelineVelocity, description: 'Sales velocity as of asOf; win rate, deal size and cycle over the trailing days' })
  async pipelineVelocity(
    @Args('asOf', { type: () => DateTimeScalar }) asOf: Date,
    @Args('trailingDays', { type: () => Int, nullable: true, defaultValue: DEFAULT_TRAILING_DAYS }) trailingDays: number,
    @Args('definitionVersion', { type: () => Int, nullable: true }) definitionVersion?: number,
  ): Promise<PipelineVelocity> {
    const definition = await this.ctx.definition(definitionVersion);
    const result = await runPipelineVelocity(this.ctx.ch, {
      asOf: iso(asOf),
      trailingDays: nonNegative('trailingDays', trailingDays) ?? DEFAULT_TRAILING_DAYS,
    });
    return { ...result, definitionVersion: definition.version };
  }
}
