import type { CampaignEvent, FunnelEvent } from '@funnel/contracts';
import {
  NONE_KEY,
  buildFunnelModel,
  compareStamps,
  dedupe,
  inPeriod,
  leadKey,
  ms,
  stageReach,
  toInstant,
  type AttributionModel,
} from '@funnel/domain';
import { attributionReportOf } from '../attribution/attribution.reference';
import { CampaignTotalsMap, type CampaignPerformanceRow } from './campaign-performance.rows';

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

/** The part of a cost period [start, end] inside [from, to); a zero-length period counts fully if its start is inside. */
export function costShare(periodStart: string, periodEnd: string, from: string, to: string): number {
  const length = ms(periodEnd) - ms(periodStart);
  if (length <= 0) return inPeriod(periodStart, from, to) ? 1 : 0;
  const overlap = Math.min(ms(periodEnd), ms(to)) - Math.max(ms(periodStart), ms(from));
  return Math.max(0, overlap) / length;
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
