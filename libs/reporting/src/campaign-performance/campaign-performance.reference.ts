import type { CampaignEvent, FunnelEvent } from '@funnel/contracts';
import {
  NONE_KEY,
  buildFunnelModel,
  compareStamps,
  dedupe,
  inPeriod,
  leadKey,
  ms,
  ratio,
  stageReach,
  toInstant,
  type AttributionModel,
} from '@funnel/domain';
import { attributionReportOf, type AttributionReport } from '../attribution/attribution.reference';

/**
 * Reference campaign scorecard: cost, sourced leads and attributed pipeline and revenue per
 * campaign for one period. Credit comes from the attribution report, never re-derived here.
 */

export interface CampaignPerformanceOptions {
  readonly from: string;
  readonly to: string;
  readonly model: AttributionModel;
  readonly lookbackDays?: number;
  readonly halfLifeDays?: number;
}

export interface CampaignPerformanceRow {
  readonly campaignId: string;
  /** From the latest CampaignLaunched; null for a campaign never launched. */
  readonly name: string | null;
  readonly channel: string | null;
  readonly cost: number;
  /** Whether some cost record of the campaign overlaps the period: without one, cost 0 means unknown. */
  readonly costRecorded: boolean;
  readonly leads: number;
  readonly mqls: number;
  readonly sqls: number;
  readonly opportunities: number;
  readonly attributedPipeline: number;
  readonly wonDeals: number;
  readonly attributedRevenue: number;
  readonly costPerLead: number | null;
  readonly costPerWonDeal: number | null;
  readonly roas: number | null;
}

/** The part of a cost period [start, end] inside [from, to); a zero-length period counts fully if its start is inside. */
export function costShare(periodStart: string, periodEnd: string, from: string, to: string): number {
  const length = ms(periodEnd) - ms(periodStart);
  if (length <= 0) return inPeriod(periodStart, from, to) ? 1 : 0;
  const overlap = Math.min(ms(periodEnd), ms(to)) - Math.max(ms(periodStart), ms(from));
  return Math.max(0, overlap) / length;
}

/** A campaign's figures before the derived ratios. */
export type CampaignTotals = { -readonly [K in Exclude<keyof CampaignPerformanceRow, 'costPerLead' | 'costPerWonDeal' | 'roas'>]: CampaignPerformanceRow[K] };

/** Totals per campaign, created on first mention with everything at zero. */
export class CampaignTotalsMap extends Map<string, CampaignTotals> {
  row(campaignId: string): CampaignTotals {
    let r = this.get(campaignId);
    if (!r) {
      r = {
        campaignId, name: null, channel: null, cost: 0, costRecorded: false, leads: 0, mqls: 0, sqls: 0, opportunities: 0,
        attributedPipeline: 0, wonDeals: 0, attributedRevenue: 0,
      };
      this.set(campaignId, r);
    }
    return r;
  }

  /** Sorted rows with cost per lead, cost per won deal and ROAS; shared with SQL. */
  rows(): CampaignPerformanceRow[] {
    return [...this.values()]
      .sort((a, b) => (a.campaignId < b.campaignId ? -1 : a.campaignId > b.campaignId ? 1 : 0))
      .map((r) => ({
        ...r,
        // DESIGN §4: a campaign without a cost record in the period has unknown cost ratios, never 0.
        costPerLead: r.costRecorded ? ratio(r.cost, r.leads) : null,
        costPerWonDeal: r.costRecorded ? ratio(r.cost, r.wonDeals) : null,
        roas: ratio(r.attributedRevenue, r.cost),
      }));
  }

  /** A cost record's share of the period (costShare); a share above 0 means the record overlaps it. */
  addCost(campaignId: string, amount: number, share: number): void {
    const r = this.row(campaignId);
    r.cost += amount * share;
    if (share > 0) r.costRecorded = true;
  }

  /** Attributed credit (opportunities, pipeline) and (won deals, revenue) per campaign. */
  addCredit(opportunityCreated: AttributionReport['rows'], won: AttributionReport['rows']): void {
    for (const x of opportunityCreated) {
      if (x.key !== NONE_KEY) Object.assign(this.row(x.key), { opportunities: x.credit, attributedPipeline: x.value });
    }
    for (const x of won) if (x.key !== NONE_KEY) Object.assign(this.row(x.key), { wonDeals: x.credit, attributedRevenue: x.value });
  }
}

export function campaignPerformance(events: readonly FunnelEvent[], opts: CampaignPerformanceOptions): CampaignPerformanceRow[] {
  const from = toInstant(opts.from);
  const to = toInstant(opts.to);
  const model = buildFunnelModel(events);
  const totals = new CampaignTotalsMap();
  const row = (campaignId: string) => totals.row(campaignId);

  // In (occurredAt, id) order, so the last launch seen names the campaign.
  const campaignEvents = dedupe(events)
    .filter((e): e is CampaignEvent => e.type === 'CampaignLaunched' || e.type === 'CampaignCostRecorded')
    .sort((a, b) => compareStamps({ at: a.occurredAt, id: a.id }, { at: b.occurredAt, id: b.id }));
  for (const e of campaignEvents) {
    if (e.type === 'CampaignLaunched') Object.assign(row(e.data.campaignId), { name: e.data.name, channel: e.data.channel });
    else totals.addCost(e.data.campaignId, e.data.amount, costShare(e.data.periodStart, e.data.periodEnd, from, to));
  }

  for (const l of model.leads.values()) {
    const reach = stageReach(model, l).reachedAt;
    const source = leadKey(model, l, 'CAMPAIGN');
    if (!inPeriod(reach.CAPTURED, from, to) || source === NONE_KEY) continue;
    const r = row(source);
    r.leads++;
    if (reach.MQL !== undefined) r.mqls++;
    if (reach.SQL !== undefined) r.sqls++;
  }

  const credit = (milestone: 'OPPORTUNITY_CREATED' | 'WON') =>
    attributionReportOf(model, { ...opts, from, to, milestone, by: 'CAMPAIGN' }).rows;
  totals.addCredit(credit('OPPORTUNITY_CREATED'), credit('WON'));
  return totals.rows();
}
