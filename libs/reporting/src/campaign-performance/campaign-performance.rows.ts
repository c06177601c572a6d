import { NONE_KEY, ratio } from '@funnel/domain';
import type { AttributionReport } from '../attribution/attribution.rows';

/**
 * The campaign scorecard's rows: totals per campaign and the ratios derived from them. Production
 * code: the SQL runner and the reference (the test oracle) both import it, and production never
 * imports an oracle.
 */

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
