import { DateTimeScalar } from '../common/date-time.scalar';
import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import { runStalled, type StalledKey } from '@funnel/reporting';
import { unstorableTextProblem } from '@funnel/contracts';
import { stallDaysOf } from '@funnel/domain';
import { iso } from '../common/report-args';
import { REPORT_COMPLEXITY } from '../common/query-complexity.plugin';
import { ReportContext } from '../common/report-context';
import { ReportInputError } from '../common/report-input.error';
import { StalledOpportunityConnection } from './stalled.model';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

// Cursors are opaque to clients; inside they are the sort key of the row (days in stage, id),
// so the next page starts after that row whatever was added meanwhile (a keyset cursor).
const cursorOf = (key: StalledKey) => Buffer.from(JSON.stringify(['stalled', key.daysInStage, key.id])).toString('base64url');

function keyOf(cursor: string): StalledKey {
  const malformed = () => new ReportInputError('after', 'is not a cursor returned by stalledOpportunities');
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw malformed();
  }
  if (!Array.isArray(decoded) || decoded.length !== 3 || decoded[0] !== 'stalled') throw malformed();
  const [, daysInStage, id] = decoded as unknown[];
  if (typeof daysInStage !== 'number' || !Number.isFinite(daysInStage)) throw malformed();
  if (typeof id !== 'string' || id === '' || unstorableTextProblem(id) !== undefined) throw malformed();
  return { daysInStage, id };
}

@Resolver()
export class StalledResolver {
  constructor(private readonly ctx: ReportContext) {}

  @Query(() => StalledOpportunityConnection, {
    complexity: REPORT_COMPLEXITY, description: 'Open opportunities stalled as of asOf, longest in stage first' })
  async stalledOpportunities(
    @Args('asOf', { type: () => DateTimeScalar }) asOf: Date,
    @Args('first', { type: () => Int, nullable: true, defaultValue: DEFAULT_PAGE_SIZE }) first: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
    @Args('definitionVersion', { type: () => Int, nullable: true }) definitionVersion?: number,
  ): Promise<StalledOpportunityConnection> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
      throw new ReportInputError('first', `must be from 1 to ${MAX_PAGE_SIZE}, got ${first}`);
    }
    const definition = await this.ctx.definition(definitionVersion);
    const afterKey = after ? keyOf(after) : undefined;
    // One row more than asked tells whether another page follows.
    const page = await runStalled(this.ctx.ch, { asOf: iso(asOf), stallDays: stallDaysOf(definition), limit: first + 1, after: afterKey });
    const edges = page.items.slice(0, first).map((node) => ({ cursor: cursorOf(node), node }));
    return {
      totalCount: page.totalCount,
      edges,
      pageInfo: {
        hasNextPage: page.items.length > first,
        hasPreviousPage: afterKey !== undefined,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges[edges.length - 1]?.cursor ?? null,
      },
      definitionVersion: definition.version,
    };
  }
}
