import { Args, GraphQLISODateTime, Int, Query, Resolver } from '@nestjs/graphql';
import { runStalled } from '@funnel/reporting';
import { stallDaysOf } from '@funnel/domain';
import { iso } from '../common/report-args';
import { REPORT_COMPLEXITY } from '../common/query-complexity.plugin';
import { ReportContext } from '../common/report-context';
import { ReportInputError } from '../common/report-input.error';
import { StalledOpportunityConnection } from './stalled.model';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

// Cursors are opaque to clients; inside they are the position in the list for this asOf.
const cursorOf = (position: number) => Buffer.from(`stalled:${position}`).toString('base64url');

function positionOf(cursor: string): number {
  const m = /^stalled:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!m) throw new ReportInputError('after', 'is not a cursor returned by stalledOpportunities');
  return Number(m[1]);
}

@Resolver()
export class StalledResolver {
  constructor(private readonly ctx: ReportContext) {}

  @Query(() => StalledOpportunityConnection, {
    complexity: REPORT_COMPLEXITY, description: 'Open opportunities stalled as of asOf, longest in stage first' })
  async stalledOpportunities(
    @Args('asOf', { type: () => GraphQLISODateTime }) asOf: Date,
    @Args('first', { type: () => Int, nullable: true, defaultValue: DEFAULT_PAGE_SIZE }) first: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
    @Args('definitionVersion', { type: () => Int, nullable: true }) definitionVersion?: number,
  ): Promise<StalledOpportunityConnection> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
      throw new ReportInputError('first', `must be from 1 to ${MAX_PAGE_SIZE}, got ${first}`);
    }
    const definition = await this.ctx.definition(definitionVersion);
    const offset = after ? positionOf(after) + 1 : 0;
    const page = await runStalled(this.ctx.ch, { asOf: iso(asOf), stallDays: stallDaysOf(definition), limit: first, offset });
    const edges = page.items.map((node, i) => ({ cursor: cursorOf(offset + i), node }));
    return {
      totalCount: page.totalCount,
      edges,
      pageInfo: {
        hasNextPage: offset + edges.length < page.totalCount,
        hasPreviousPage: offset > 0,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges[edges.length - 1]?.cursor ?? null,
      },
      definitionVersion: definition.version,
    };
  }
}
