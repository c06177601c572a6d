import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import type { Dimension, FunnelStage } from '@funnel/domain';
import { runConversionChange } from '@funnel/reporting';
import { DateTimeScalar } from '../common/date-time.scalar';
import { DimensionEnum, FunnelStageEnum } from '../common/graphql-enums';
import { REPORT_COSTS } from '../common/query-complexity.plugin';
import { iso, nonNegative, period } from '../common/report-args';
import { ReportInputError } from '../common/report-input.error';
import { ReportContext } from '../common/report-context';
import { ConversionChange } from './conversion-change.model';

@Resolver()
export class ConversionChangeResolver {
  constructor(private readonly ctx: ReportContext) {}

  @Query(() => ConversionChange, {
    complexity: REPORT_COSTS.conversionChange,
    description: 'Conversion to target of the cohort of [from, to) against the base cohort of [baseFrom, baseTo): mix and rate effects per key, and step log changes per team',
  })
  async conversionChange(
    @Args('baseFrom', { type: () => DateTimeScalar }) baseFrom: Date,
    @Args('baseTo', { type: () => DateTimeScalar }) baseTo: Date,
    @Args('from', { type: () => DateTimeScalar }) from: Date,
    @Args('to', { type: () => DateTimeScalar }) to: Date,
    @Args('target', { type: () => FunnelStageEnum }) target: FunnelStage,
    @Args('by', { type: () => DimensionEnum }) by: Dimension,
    @Args('anchor', { type: () => FunnelStageEnum, nullable: true, defaultValue: 'CAPTURED' }) anchor: FunnelStage,
    @Args('windowDays', { type: () => Int, nullable: true }) windowDays?: number,
    @Args('definitionVersion', { type: () => Int, nullable: true }) definitionVersion?: number,
  ): Promise<ConversionChange> {
    const definition = await this.ctx.definition(definitionVersion);
    if (!(baseFrom < baseTo)) throw new ReportInputError('baseTo', `must be after baseFrom (${iso(baseFrom)}); periods are half-open`);
    const current = period(from, to);
    const result = await runConversionChange(this.ctx.ch, {
      baseFrom: iso(baseFrom),
      baseTo: iso(baseTo),
      ...current,
      target,
      anchor: anchor ?? 'CAPTURED',
      windowDays: nonNegative('windowDays', windowDays),
      by,
    });
    return { definitionVersion: definition.version, ...result };
  }
}
