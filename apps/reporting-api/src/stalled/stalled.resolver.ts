import { DateTimeScalar } from '../common/date-time.scalar';
import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import { runStalled, type StalledKey } from '@funnel/reporting';
import { stallDaysOf } from '@funnel/domain';
import { iso } from '../common/report-args';
import { REPORT_COSTS } from '../common/query-complexity.plugin';
import { ReportContext } from '../common/report-context';
import { StalledOpportunityConnection } from './stalled.model';
import { cursorOf, DEFAULT_PAGE_SIZE, keyOf, pageSize, keysetPage } from '../common/keyset-cursor';

// The cursor holds the row's sort key (days in stage, id), so the next page starts after that
// row whatever was added meanwhile.
const STALLED = 'stalled';

function stalledKeyOf(cursor: string): StalledKey {
  const [daysInStage, id] = keyOf(STALLED, cursor, 'number', 'string') as [number, string];
  return { daysInStage, id };
}

@Resolver()
export class StalledResolver {
  constructor(private readonly ctx: ReportContext) {}

  @Query(() => StalledOpportunityConnection, {
    complexity: REPORT_COSTS.stalledOpportunities, description: 'Open opportunities stalled as of asOf, longest in stage first' })
  async stalledOpportunities(
    @Args('asOf', { type: () => DateTimeScalar }) asOf: Date,
    @Args('first', { type: () => Int, nullable: true, defaultValue: DEFAULT_PAGE_SIZE }) first: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
    @Args('definitionVersion', { type: () => Int, nullable: true }) definitionVersion?: number,
  ): Promise<StalledOpportunityConnection> {
    pageSize(first);
    const definition = await this.ctx.definition(definitionVersion);
    const afterKey = after ? stalledKeyOf(after) : undefined;
    // One row more than asked tells whether another page follows.
    const page = await runStalled(this.ctx.ch, { asOf: iso(asOf), stallDays: stallDaysOf(definition), limit: first + 1, after: afterKey });
    return {
      totalCount: page.totalCount,
      ...keysetPage(page.items, first, afterKey, (node) => ({ cursor: cursorOf(STALLED, node.daysInStage, node.id), node })),
      definitionVersion: definition.version,
    };
  }
}
