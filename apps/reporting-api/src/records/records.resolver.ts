import { Inject } from '@nestjs/common';
import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import { FUNNEL_STAGES } from '@funnel/domain';
import { READ_MODEL } from '@funnel/platform';
import type { DataSource } from 'typeorm';
import { iso } from '../common/report-args';
import { ReportInputError } from '../common/report-input.error';
import type { Lead, Opportunity } from '../lookups/lookups.model';
import { cursorOf, DEFAULT_PAGE_SIZE, keyOf, pageSize } from './keyset-cursor';
import { LeadConnection, LeadFilter, OpportunityConnection, OpportunityFilter } from './records.model';

/** Explicit stage entries of lead_funnel, in the unified order. */
const STAGE_COLUMNS = [
  ['CAPTURED', 'captured_at'], ['MQL', 'mql_at'], ['SAL', 'sal_at'], ['SQL', 'sql_at'],
  ['OPPORTUNITY', 'opportunity_at'], ['WON', 'won_at'],
] as const;

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
  sql(extra: string[] = []): string {
    const all = [...this.clauses, ...extra];
    return all.length ? `WHERE ${all.join(' AND ')}` : '';
  }
}

function checkedPeriod(from?: Date | null, to?: Date | null): void {
  if (from && to && !(from < to)) throw new ReportInputError('to', `must be after from (${iso(from)}); periods are half-open [from, to)`);
}

/** One page after `after` in key order, plus the count of every match. */
async function page<T>(ds: DataSource, list: string, select: (where: string, limit: string) => string, count: (where: string) => string,
  where: Where, first: number, after: string | null | undefined, key: (row: any) => string, node: (row: any) => T) {
  const size = pageSize(first);
  const keyed = new Where();
  keyed.clauses.push(...where.clauses);
  keyed.params.push(...where.params);
  if (after) keyed.add((p) => `${list === 'leads' ? 'l.lead_id' : 'op.opportunity_id'} > ${p}`, keyOf(list, after));
  keyed.params.push(size + 1);
  const [rows, [{ n }]] = await Promise.all([
    ds.query(select(keyed.sql(), `$${keyed.params.length}`), keyed.params),
    ds.query(count(where.sql()), where.params),
  ]);
  const edges = rows.slice(0, size).map((r: any) => ({ cursor: cursorOf(list, key(r)), node: node(r) }));
  return {
    totalCount: Number(n),
    edges,
    pageInfo: {
      hasNextPage: rows.length > size,
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
    return page(
      this.ds, 'leads',
      (w, limit) => `SELECT l.*, f.channel AS resolved_channel, f.opportunity_at, f.won_at,
          ARRAY(SELECT opportunity_id FROM lead_opportunity_links k WHERE k.lead_id = l.lead_id ORDER BY 1) AS opportunity_ids
        ${from} ${w} ORDER BY l.lead_id LIMIT ${limit}`,
      (w) => `SELECT count(*) AS n ${from} ${w}`,
      where, first, after, (r) => r.lead_id, leadOf,
    );
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
    return page(
      this.ds, 'opportunities',
      (w, limit) => `SELECT op.*,
          ARRAY(SELECT lead_id FROM lead_opportunity_links k WHERE k.opportunity_id = op.opportunity_id ORDER BY 1) AS lead_ids
        FROM opportunities op ${w} ORDER BY op.opportunity_id LIMIT ${limit}`,
      (w) => `SELECT count(*) AS n FROM opportunities op ${w}`,
      where, first, after, (r) => r.opportunity_id, opportunityOf,
    );
  }
}

function leadOf(row: any): Lead {
  return {
    id: row.lead_id, accountId: row.account_id, firstSeenAt: row.first_seen_at, capturedAt: row.captured_at,
    sourceCampaignId: row.source_campaign_id, channel: row.resolved_channel, segment: row.segment, region: row.region,
    product: row.product, ownerId: row.owner_id, currentStage: row.current_stage, score: row.score, budget: row.budget,
    authority: row.authority, need: row.need, timelineDays: row.timeline_days, disposition: row.disposition,
    firstActivityAt: row.first_activity_at,
    stageEntries: STAGE_COLUMNS.filter(([, c]) => row[c]).map(([stage, c]) => ({ stage, enteredAt: row[c] })),
    opportunityIds: row.opportunity_ids,
  };
}

function opportunityOf(row: any): Opportunity {
  return {
    id: row.opportunity_id, accountId: row.account_id, ownerId: row.owner_id, createdAt: row.created_at, stage: row.stage,
    amount: row.amount, status: row.status, wonAt: row.won_at, lostReason: row.lost_reason, nextStep: row.next_step,
    nextStepDueAt: row.next_step_due_at, leadIds: row.lead_ids,
  };
}
