import { Args, Query, Resolver } from '@nestjs/graphql';
import type { Dimension } from '@funnel/domain';
import { runActivityMovement } from '@funnel/reporting';
import { DateTimeScalar } from '../common/date-time.scalar';
import { DimensionEnum } from '../common/graphql-enums';
import { REPORT_COSTS } from '../common/query-complexity.plugin';
import { period } from '../common/report-args';
import { ReportContext } from '../common/report-context';
import { ActivityMovementRow } from './activity-movement.model';
import type { FieldWarnings } from '../warnings/report-warnings';
import { Warnings } from '../warnings/warnings.decorator';

@Resolver()
export class ActivityMovementResolver {
  constructor(private readonly ctx: ReportContext) {}

  @Query(() => [ActivityMovementRow], {
    complexity: REPORT_COSTS.activityVsMovement,
    description: 'Activities vs stage movements in [from, to), keyed by the lead (default OWNER: its latest assignee)',
  })
  async activityVsMovement(
    @Args('from', { type: () => DateTimeScalar }) from: Date,
    @Args('to', { type: () => DateTimeScalar }) to: Date,
    @Args('breakdown', { type: () => DimensionEnum, nullable: true }) breakdown?: Dimension,
    @Warnings() warnings?: FieldWarnings,
  ): Promise<ActivityMovementRow[]> {
    const rows = await runActivityMovement(this.ctx.ch, { ...period(from, to), breakdown: breakdown ?? undefined });
    // Movements without a single activity usually mean the CRM does not send activities, not that nobody worked.
    if (warnings && rows.length > 0 && rows.every((r) => r.activities === 0)) {
      warnings.add('NO_ACTIVITY_DATA', 'no LeadActivityLogged in the period: activities are 0 for every key, which may be missing data');
    }
    return rows;
  }
}
