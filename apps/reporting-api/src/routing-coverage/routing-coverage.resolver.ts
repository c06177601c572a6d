import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import type { Dimension, RoutingLeadList } from '@funnel/domain';
import { runRoutingCoverage, runRoutingLeads } from '@funnel/reporting';
import { DateTimeScalar } from '../common/date-time.scalar';
import { DimensionEnum } from '../common/graphql-enums';
import { cursorOf, DEFAULT_PAGE_SIZE, keyOf, pageSize, keysetPage } from '../common/keyset-cursor';
import { REPORT_COSTS } from '../common/query-complexity.plugin';
import { iso, period } from '../common/report-args';
import { ReportContext } from '../common/report-context';
import { RoutingLeadConnection, RoutingLeadListEnum, RoutingRow } from './routing-coverage.model';

// The cursor holds the last lead id seen: the next page starts strictly after it.
const ROUTING_LEADS = 'routingCoverageLeads';

@Resolver()
export class RoutingCoverageResolver {
  constructor(private readonly ctx: ReportContext) {}

  @Query(() => [RoutingRow], {
    complexity: REPORT_COSTS.routingCoverage,
    description: 'MQLs of [from, to) and their assignments at or before asOf: coverage, minutes to assignment, reassignments, fallback queues',
  })
  async routingCoverage(
    @Args('from', { type: () => DateTimeScalar }) from: Date,
    @Args('to', { type: () => DateTimeScalar }) to: Date,
    @Args('asOf', { type: () => DateTimeScalar }) asOf: Date,
    @Args('breakdown', { type: () => DimensionEnum, nullable: true }) breakdown?: Dimension,
    @Args('definitionVersion', { type: () => Int, nullable: true }) definitionVersion?: number,
  ): Promise<RoutingRow[]> {
    const definition = await this.ctx.definition(definitionVersion);
    const rows = await runRoutingCoverage(this.ctx.ch, {
      ...period(from, to),
      asOf: iso(asOf),
      fallbackQueues: definition.fallbackQueues,
      breakdown: breakdown ?? undefined,
    });
    return rows.map((r) => ({ ...r, definitionVersion: definition.version }));
  }

  @Query(() => RoutingLeadConnection, {
    complexity: REPORT_COSTS.routingCoverageLeads,
    description: 'The lead ids behind routingCoverage’s unassigned or inFallbackQueue count (same arguments; key = one row’s key), paged',
  })
  async routingCoverageLeads(
    @Args('from', { type: () => DateTimeScalar }) from: Date,
    @Args('to', { type: () => DateTimeScalar }) to: Date,
    @Args('asOf', { type: () => DateTimeScalar }) asOf: Date,
    @Args('list', { type: () => RoutingLeadListEnum }) list: RoutingLeadList,
    @Args('breakdown', { type: () => DimensionEnum, nullable: true }) breakdown?: Dimension,
    @Args('key', { type: () => String, nullable: true, description: 'Only the leads of this breakdown key' }) key?: string,
    @Args('definitionVersion', { type: () => Int, nullable: true }) definitionVersion?: number,
    @Args('first', { type: () => Int, nullable: true, defaultValue: DEFAULT_PAGE_SIZE }) first: number = DEFAULT_PAGE_SIZE,
    @Args('after', { type: () => String, nullable: true }) after?: string,
  ): Promise<RoutingLeadConnection> {
    pageSize(first);
    const definition = await this.ctx.definition(definitionVersion);
    const afterId = after ? (keyOf(ROUTING_LEADS, after, 'string')[0] as string) : undefined;
    // One row more than asked tells whether another page follows.
    const page = await runRoutingLeads(this.ctx.ch, {
      ...period(from, to),
      asOf: iso(asOf),
      fallbackQueues: definition.fallbackQueues,
      breakdown: breakdown ?? undefined,
      key: breakdown ? (key ?? undefined) : undefined,
      list,
      limit: first + 1,
      after: afterId,
    });
    return {
      totalCount: page.totalCount,
      ...keysetPage(page.leadIds, first, afterId, (id) => ({ cursor: cursorOf(ROUTING_LEADS, id), node: { id } })),
    };
  }
}
