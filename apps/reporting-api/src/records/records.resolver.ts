import { Inject } from '@nestjs/common';
import { Args, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { FUNNEL_STAGES } from '@funnel/domain';
import { READ_MODEL } from '@funnel/platform';
import type { DataSource } from 'typeorm';
import { iso } from '../common/report-args';
import { ReportInputError } from '../common/report-input.error';
import { LEAD_RECORD_SELECT, leadRecordOf, opportunityRecordOf, opportunityRecordSelect, STAGE_COLUMNS } from '../lookups/record-rows';
import { cursorOf, DEFAULT_PAGE_SIZE, keyOf, pageSize } from '../common/keyset-cursor';
import { LeadConnection, LeadFilter, OpportunityConnection, OpportunityFilter } from './records.model';

const LEAD_STATUS_SQL: Readonly<Record<string, string>> = {
  won: `f.won_at IS NOT NULL`,
  lost: `f.won_at IS NULL AND ${linkedOpportunity(`o.status = 'lost'`)}`,
  dispositioned: `f.won_at IS NULL AND NOT ${linkedOpportunity(`o.status = 'lost'`)} AND l.disposition IS NOT NULL`,
  open: `f.won_at IS NULL AND NOT ${linkedOpportunity(`o.status = 'lost'`)} AND l.disposition IS NULL`,
};
const OPPORTUNITY_STATUSES = ['open', 'won', 'lost'];

function linkedOpportunity(condition: string): string {
  return `EXISTS (SELECT 1 FROM lead_opportunity_links k JOIN opportunities o ON o.opportunity_id = k.opportunity_id
                   WHERE k.lead_id = l.lead_id AND ${condition})`;
}

/** WHERE clauses with their parameters, numbered as they are added. */
class Where {
  readonly clauses: string[] = [];
  readonly params: unknown[] = [];
  add(sql: (p: string) => string, value: unknown): void {
    if (value === undefined || value === null) return;
    this.params.push(value);
    this.clauses.push(sql(`$${this.params.length}`));
  }
  sql(): string {
    return this.clauses.length ? `WHERE ${this.clauses.join(' AND ')}` : '';
  }
}

function checkedPeriod(from?: Date | null, to?: Date | null): void {
  if (from && to && !(from < to)) throw new ReportInputError('to', `must be after from (${iso(from)}); periods are half-open [from, to)`);
}

interface ListQuery<T> {
  readonly list: string;
  /** The sort key, unique: the record id. */
  readonly keyColumn: string;
  /** The matching rows' sort keys, in key order: `SELECT <key> AS key ... ${where} ORDER BY key LIMIT ${limit}`. */
  keys(where: string, limit: string): string;
  count(where: string): string;
  /** The page's records, for keys $1 (text[]). */
  records: string;
  key(row: any): string;
  node(row: any): T;
}

/**
 * One page after `after` in key order. The filter picks the keys first, so the records' details
 * are read for one page only; the count runs only when `totalCount` is asked for, so a CSV
 * walking every page does not count everything again per page.
 */
async function page<T>(ds: DataSource, q: ListQuery<T>, where: Where, first: number, after: string | null | undefined) {
  const size = pageSize(first);
  const keyed = new Where();
  keyed.clauses.push(...where.clauses);
  keyed.params.push(...where.params);
  if (after) keyed.add((p) => `${q.keyColumn} > ${p}`, keyOf(q.list, after, 'string')[0]);
  keyed.params.push(size + 1);
  const keys: string[] = (await ds.query(q.keys(keyed.sql(), `$${keyed.params.length}`), keyed.params)).map((r: { key: string }) => r.key);
  const byKey = new Map<string, any>();
  if (keys.length > 0) for (const r of await ds.query(q.records, [keys.slice(0, size)])) byKey.set(q.key(r), r);
  const edges = keys.slice(0, size).filter((k) => byKey.has(k)).map((k) => ({ cursor: cursorOf(q.list, k), node: q.node(byKey.get(k)) }));
  return {
    totalCount: 0, // resolved by countAll, when asked for (LeadConnectionResolver, OpportunityConnectionResolver)
    countAll: async () => Number((await ds.query(q.count(where.sql()), where.params))[0].n),
    edges,
    pageInfo: {
      hasNextPage: keys.length > size,
      hasPreviousPage: Boolean(after),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

/** Record lists for BI tools over the PostgreSQL read model, with keyset cursors in id order. */
@Resolver()
export class RecordsResolver {
  constructor(@Inject(READ_MODEL) private readonly ds: DataSource) {}

  @Query(() => LeadConnection, { complexity: 10, description: 'Leads matching the filter, in id order, a page at a time' })
  leads(
    @Args('filter', { type: () => LeadFilter, nullable: true }) filter: LeadFilter | null,
    @Args('first', { type: () => Int, nullable: true, defaultValue: DEFAULT_PAGE_SIZE }) first: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
  ): Promise<LeadConnection> {
    const f = filter ?? {};
    checkedPeriod(f.from, f.to);
    const where = new Where();
    where.add((p) => `f.captured_reach_at >= ${p}`, f.from && iso(f.from));
    where.add((p) => `f.captured_reach_at < ${p}`, f.to && iso(f.to));
    if (f.stage) {
      // Reached = entered this stage or any later one (DESIGN §4 stage reach); CAPTURED: every lead.
      const later = STAGE_COLUMNS.slice(FUNNEL_STAGES.indexOf(f.stage as never)).map(([, c]) => `f.${c}`);
      if (f.stage !== 'CAPTURED') where.clauses.push(`COALESCE(${later.join(', ')}) IS NOT NULL`);
    }
    where.add((p) => `f.channel = ${p}`, f.channel);
    where.add((p) => `f.source_campaign_id = ${p}`, f.campaignId);
    where.add((p) => `f.owner_id = ${p}`, f.ownerId);
    if (f.status) {
      const sql = LEAD_STATUS_SQL[f.status];
      if (!sql) throw new ReportInputError('status', `must be one of ${Object.keys(LEAD_STATUS_SQL).join(', ')}, got "${f.status}"`);
      where.clauses.push(sql);
    }
    const from = `FROM leads l JOIN lead_funnel f ON f.lead_id = l.lead_id`;
    return page(this.ds, {
      list: 'leads',
      keyColumn: 'l.lead_id',
      keys: (w, limit) => `SELECT l.lead_id AS key ${from} ${w} ORDER BY l.lead_id LIMIT ${limit}`,
      count: (w) => `SELECT count(*) AS n ${from} ${w}`,
      records: `SELECT ${LEAD_RECORD_SELECT} ${from} WHERE l.lead_id = ANY($1::text[])`,
      key: (r) => r.lead_id,
      node: leadRecordOf,
    }, where, first, after);
  }

  @Query(() => OpportunityConnection, { complexity: 10, description: 'Opportunities matching the filter, in id order, a page at a time' })
  opportunities(
    @Args('filter', { type: () => OpportunityFilter, nullable: true }) filter: OpportunityFilter | null,
    @Args('first', { type: () => Int, nullable: true, defaultValue: DEFAULT_PAGE_SIZE }) first: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
  ): Promise<OpportunityConnection> {
    const f = filter ?? {};
    checkedPeriod(f.from, f.to);
    if (f.status && !OPPORTUNITY_STATUSES.includes(f.status)) {
      throw new ReportInputError('status', `must be one of ${OPPORTUNITY_STATUSES.join(', ')}, got "${f.status}"`);
    }
    const where = new Where();
    // Only opportunities with an OpportunityCreated count (DESIGN §4 Links).
    where.clauses.push('op.created_at IS NOT NULL');
    where.add((p) => `op.created_at >= ${p}`, f.from && iso(f.from));
    where.add((p) => `op.created_at < ${p}`, f.to && iso(f.to));
    where.add((p) => `op.stage = ${p}`, f.stage);
    where.add((p) => `op.status = ${p}`, f.status);
    where.add((p) => `op.owner_id = ${p}`, f.ownerId);
    const linkedLead = (column: string) => (p: string) =>
      `EXISTS (SELECT 1 FROM lead_opportunity_links k JOIN lead_funnel f ON f.lead_id = k.lead_id
                WHERE k.opportunity_id = op.opportunity_id AND f.${column} = ${p})`;
    where.add(linkedLead('channel'), f.channel);
    where.add(linkedLead('source_campaign_id'), f.campaignId);
    return page(this.ds, {
      list: 'opportunities',
      keyColumn: 'op.opportunity_id',
      keys: (w, limit) => `SELECT op.opportunity_id AS key FROM opportunities op ${w} ORDER BY op.opportunity_id LIMIT ${limit}`,
      count: (w) => `SELECT count(*) AS n FROM opportunities op ${w}`,
      records: `SELECT ${opportunityRecordSelect('op')} FROM opportunities op WHERE op.opportunity_id = ANY($1::text[])`,
      key: (r) => r.opportunity_id,
      node: opportunityRecordOf,
    }, where, first, after);
  }
}

/** A page that can count every match of its filter. */
type Counted = { countAll(): Promise<number> };

@Resolver(() => LeadConnection)
export class LeadConnectionResolver {
  @ResolveField(() => Int)
  totalCount(@Parent() page: Counted): Promise<number> {
    return page.countAll();
  }
}

@Resolver(() => OpportunityConnection)
export class OpportunityConnectionResolver {
  @ResolveField(() => Int)
  totalCount(@Parent() page: Counted): Promise<number> {
    return page.countAll();
  }
}
