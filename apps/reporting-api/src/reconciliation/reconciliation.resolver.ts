import { DateTimeScalar } from '../common/date-time.scalar';
import { Args, Info, Int, Query, Resolver } from '@nestjs/graphql';
import { runReconciliation } from '@funnel/reporting';
import type { Dimension } from '@funnel/domain';
import type { GraphQLResolveInfo } from 'graphql';
import { DimensionEnum } from '../common/graphql-enums';
import { period } from '../common/report-args';
import { REPORT_COSTS } from '../common/query-complexity.plugin';
import { ReportContext } from '../common/report-context';
import { ReconciliationRow } from './reconciliation.model';

/** Whether the query selects `leadIds` on the rows: lead lists can be large, so fetch them only then. */
function selectsLeadIds(info: GraphQLResolveInfo): boolean {
  return info.fieldNodes.some((node) =>
    node.selectionSet?.selections.some((s) => s.kind === 'Field' && s.name.value === 'leadIds'),
  );
}

@Resolver()
export class ReconciliationResolver {
  constructor(private readonly ctx: ReportContext) {}

  @Query(() => [ReconciliationRow], {
    complexity: REPORT_COSTS.reconciliation, description: 'Where each MQL of [from, to) ended up, record by record' })
  async reconciliation(
    @Args('from', { type: () => DateTimeScalar }) from: Date,
    @Args('to', { type: () => DateTimeScalar }) to: Date,
    @Info() info: GraphQLResolveInfo,
    @Args('breakdown', { type: () => DimensionEnum, nullable: true }) breakdown?: Dimension,
    @Args('definitionVersion', { type: () => Int, nullable: true }) definitionVersion?: number,
  ): Promise<ReconciliationRow[]> {
    const definition = await this.ctx.definition(definitionVersion);
    const rows = await runReconciliation(this.ctx.ch, {
      ...period(from, to),
      breakdown: breakdown ?? undefined,
      withLeadIds: selectsLeadIds(info),
    });
    return rows.map(({ leadIds, ...r }) => ({
      ...r,
      definitionVersion: definition.version,
      leadIds: {
        won: leadIds.WON,
        lost: leadIds.LOST,
        opportunityOpen: leadIds.OPPORTUNITY_OPEN,
        qualifiedNoOpportunity: leadIds.QUALIFIED_NO_OPPORTUNITY,
        rejected: leadIds.REJECTED,
        acceptedNotQualified: leadIds.ACCEPTED_NOT_QUALIFIED,
        neverAccepted: leadIds.NEVER_ACCEPTED,
      },
    }));
  }
}
