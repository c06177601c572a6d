import { DateTimeScalar } from '../common/date-time.scalar';
import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import { runLeadQuality } from '@funnel/reporting';
import { slaCalendarOf, type Dimension } from '@funnel/domain';
import { DimensionEnum } from '../common/graphql-enums';
import { iso, period } from '../common/report-args';
import { REPORT_COSTS } from '../common/query-complexity.plugin';
import { ReportContext } from '../common/report-context';
import { LeadQualityRow } from './lead-quality.model';
import { warnIfNoActivity } from '../warnings/data-quality';
import { Warnings } from '../warnings/warnings.decorator';
import type { FieldWarnings } from '../warnings/report-warnings';


@Resolver()
export class LeadQualityResolver {
  constructor(private readonly ctx: ReportContext) {}

  @Query(() => [LeadQualityRow], {
    complexity: REPORT_COSTS.leadQualityVsHandling,
    description: 'Tells "bad leads" from "slow follow-up": conversion of SLA-met vs SLA-breached MQLs (pending clocks left out)',
  })
  async leadQualityVsHandling(
    @Args('from', { type: () => DateTimeScalar }) from: Date,
    @Args('to', { type: () => DateTimeScalar }) to: Date,
    @Args('breakdown', { type: () => DimensionEnum, nullable: true }) breakdown?: Dimension,
    @Args('asOf', { type: () => DateTimeScalar, nullable: true, description: 'When SLA clocks are read; default to' }) asOf?: Date,
    @Args('definitionVersion', { type: () => Int, nullable: true }) definitionVersion?: number,
    @Warnings() warnings?: FieldWarnings,
  ): Promise<LeadQualityRow[]> {
    const definition = await this.ctx.definition(definitionVersion);
    const p = period(from, to);
    const rows = await runLeadQuality(this.ctx.ch, {
      ...p,
      asOf: asOf ? iso(asOf) : undefined,
      speedToLeadMinutes: definition.speedToLeadMinutes,
      calendar: slaCalendarOf(definition),
      breakdown: breakdown ?? undefined,
    });
    // A met clock needs an activity; only without any met lead can activity data be missing altogether.
    if (warnings && rows.every((r) => r.metCount === 0)) await warnIfNoActivity(this.ctx.ch, p, warnings);
    return rows.map((r) => ({ ...r, definitionVersion: definition.version }));
  }
}
