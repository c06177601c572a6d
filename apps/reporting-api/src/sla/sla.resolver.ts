import { DateTimeScalar } from '../common/date-time.scalar';
import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import { runSla } from '@funnel/reporting';
import { slaCalendarOf, type Dimension } from '@funnel/domain';
import { DimensionEnum } from '../common/graphql-enums';
import { iso, period } from '../common/report-args';
import { REPORT_COSTS } from '../common/query-complexity.plugin';
import { ReportContext } from '../common/report-context';
import { SlaRow } from './sla.model';
import { warnIfNoActivity } from '../warnings/data-quality';
import { Warnings } from '../warnings/warnings.decorator';
import type { FieldWarnings } from '../warnings/report-warnings';


@Resolver()
export class SlaResolver {
  constructor(private readonly ctx: ReportContext) {}

  @Query(() => [SlaRow], {
    complexity: REPORT_COSTS.slaCompliance, description: 'Speed-to-lead SLA compliance; the limit comes from the definition version' })
  async slaCompliance(
    @Args('from', { type: () => DateTimeScalar }) from: Date,
    @Args('to', { type: () => DateTimeScalar }) to: Date,
    @Args('asOf', { type: () => DateTimeScalar }) asOf: Date,
    @Args('breakdown', { type: () => DimensionEnum, nullable: true }) breakdown?: Dimension,
    @Args('definitionVersion', { type: () => Int, nullable: true }) definitionVersion?: number,
    @Warnings() warnings?: FieldWarnings,
  ): Promise<SlaRow[]> {
    const definition = await this.ctx.definition(definitionVersion);
    const p = period(from, to);
    const rows = await runSla(this.ctx.ch, {
      ...p,
      asOf: iso(asOf),
      speedToLeadMinutes: definition.speedToLeadMinutes,
      calendar: slaCalendarOf(definition),
      breakdown: breakdown ?? undefined,
    });
    // Only when no lead of the cohort was followed up by asOf can the cohort lack activity data altogether.
    const size = rows.reduce((n, r) => n + r.met + r.breached + r.pending, 0);
    if (warnings && size > 0 && rows.every((r) => r.neverFollowedUp === r.met + r.breached + r.pending)) await warnIfNoActivity(this.ctx.ch, p, warnings);
    return rows.map((r) => ({ ...r, definitionVersion: definition.version, speedToLeadMinutes: definition.speedToLeadMinutes }));
  }
}
