import { subjectOf, type CampaignEvent } from '@funnel/contracts';
import { evolveCampaign } from '@funnel/domain';
import { truncateTables, type ReadModel } from '../read-model';
import { CAMPAIGNS } from './campaigns.table';

/** `campaigns` (the fold of each campaign's events) and `campaign_costs` (one row per CampaignCostRecorded). */
export const CAMPAIGNS_READ_MODEL: ReadModel = {
  name: 'campaigns',
  tables: { [CAMPAIGNS.name]: CAMPAIGNS.key, campaign_costs: 'event_id' },
  async apply(em, { events }) {
    const campaigns = events.filter((e): e is CampaignEvent => subjectOf(e).kind === 'campaign');
    await CAMPAIGNS.merge(em, campaigns, evolveCampaign);
    const costs = campaigns.flatMap((e) =>
      e.type === 'CampaignCostRecorded'
        ? [{
            event_id: e.id,
            campaign_id: e.data.campaignId,
            amount: e.data.amount,
            period_start: e.data.periodStart,
            period_end: e.data.periodEnd,
            recorded_at: e.occurredAt,
          }]
        : [],
    );
    if (costs.length === 0) return;
    await em.query(
      `INSERT INTO campaign_costs (event_id, campaign_id, amount, period_start, period_end, recorded_at)
       SELECT * FROM jsonb_to_recordset($1::jsonb)
         AS x(event_id text, campaign_id text, amount double precision, period_start timestamptz, period_end timestamptz, recorded_at timestamptz)
       ON CONFLICT (event_id) DO NOTHING`,
      [JSON.stringify(costs)],
    );
  },
  reset: (em) => truncateTables(em, CAMPAIGNS_READ_MODEL),
};
