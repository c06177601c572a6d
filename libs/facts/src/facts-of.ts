import type { FunnelEvent } from '@funnel/contracts';
import type { FactTable } from './fact-tables';

export interface FactRow {
  readonly table: FactTable;
  readonly row: Record<string, unknown>;
}

/** ClickHouse DateTime64 text: `2026-03-02 10:15:00.000` (UTC), as JSONEachRow reads it by default. */
export function chTime(iso: string): string {
  return iso.replace('T', ' ').replace('Z', '');
}

const bool = (v: boolean | undefined) => (v === undefined ? null : v ? 1 : 0);

/** The fact rows one event contributes. Pure: the same event always gives the same rows. */
export function factsOf(e: FunnelEvent): FactRow[] {
  const base = { event_id: e.id, occurred_at: chTime(e.occurredAt) };
  switch (e.type) {
    case 'LeadCaptured': {
      const d = e.data;
      const a = d.attributes ?? {};
      const capture: FactRow = {
        table: 'lead_captures',
        row: {
          ...base, lead_id: d.leadId, account_id: d.accountId ?? null, campaign_id: d.campaignId ?? null,
          channel: d.channel ?? null, owner_id: d.ownerId ?? null, segment: a.segment ?? null, region: a.region ?? null,
          product: a.product ?? null, industry: a.industry ?? null, company_size: a.companySize ?? null,
        },
      };
      // DESIGN §2: a capture with a campaign also counts as a form_fill touch at its time.
      return d.campaignId
        ? [capture, {
            table: 'touches',
            row: { ...base, lead_id: d.leadId, campaign_id: d.campaignId, channel: d.channel ?? null, touch_type: 'form_fill', from_capture: 1 },
          }]
        : [capture];
    }
    case 'LeadTouched':
      return [{
        table: 'touches',
        row: {
          ...base, lead_id: e.data.leadId, campaign_id: e.data.campaignId ?? null, channel: e.data.channel,
          touch_type: e.data.touchType, from_capture: 0,
        },
      }];
    case 'LeadScored':
      return [{
        table: 'lead_scores',
        row: { ...base, lead_id: e.data.leadId, score: e.data.score, fit: e.data.fit ?? null, engagement: e.data.engagement ?? null },
      }];
    case 'LeadStageChanged':
      return [{ table: 'lead_stage_entries', row: { ...base, lead_id: e.data.leadId, stage: e.data.stage } }];
    case 'LeadQualificationUpdated':
      return [{
        table: 'lead_qualifications',
        row: {
          ...base, lead_id: e.data.leadId, budget: bool(e.data.budget), authority: bool(e.data.authority),
          need: bool(e.data.need), timeline_days: e.data.timelineDays ?? null,
        },
      }];
    case 'LeadAssigned':
      return [{
        table: 'lead_assignments',
        row: { ...base, lead_id: e.data.leadId, owner_id: e.data.ownerId, queue: e.data.queue ?? null, rule: e.data.rule ?? null },
      }];
    case 'LeadActivityLogged':
      return [{
        table: 'lead_activities',
        row: { ...base, lead_id: e.data.leadId, owner_id: e.data.ownerId ?? null, activity_type: e.data.activityType },
      }];
    case 'LeadDispositioned':
      return [{
        table: 'lead_dispositions',
        row: { ...base, lead_id: e.data.leadId, kind: 'dispositioned', disposition: e.data.disposition, note: e.data.note ?? null },
      }];
    case 'LeadRecycled':
      return [{
        table: 'lead_dispositions',
        row: { ...base, lead_id: e.data.leadId, kind: 'recycled', disposition: null, note: e.data.reason ?? null },
      }];
    case 'LeadConverted':
      return [{
        table: 'lead_links',
        row: { ...base, lead_id: e.data.leadId, opportunity_id: e.data.opportunityId, via: 'converted' },
      }];
    case 'OpportunityCreated': {
      const d = e.data;
      const created: FactRow = {
        table: 'opportunity_events',
        row: opportunityFact(e, { stage: d.stage ?? null, amount: d.amount, account_id: d.accountId ?? null, owner_id: d.ownerId ?? null }),
      };
      const links = [...new Set(d.leadIds ?? [])].map<FactRow>((leadId) => ({
        table: 'lead_links',
        row: { ...base, lead_id: leadId, opportunity_id: d.opportunityId, via: 'created' },
      }));
      return [created, ...links];
    }
    case 'OpportunityStageChanged':
      return [{ table: 'opportunity_events', row: opportunityFact(e, { stage: e.data.stage }) }];
    case 'OpportunityAmountChanged':
      return [{ table: 'opportunity_events', row: opportunityFact(e, { amount: e.data.amount }) }];
    case 'OpportunityNextStepSet':
      return [{
        table: 'opportunity_events',
        row: opportunityFact(e, { next_step: e.data.nextStep, due_at: chTime(e.data.dueAt) }),
      }];
    case 'OpportunityStallAcknowledged':
      return [{
        table: 'opportunity_events',
        row: opportunityFact(e, { reason: e.data.reason, resume_by: chTime(e.data.resumeBy) }),
      }];
    case 'OpportunityWon':
      return [{ table: 'opportunity_events', row: opportunityFact(e, { amount: e.data.amount ?? null }) }];
    case 'OpportunityLost':
      return [{ table: 'opportunity_events', row: opportunityFact(e, { reason: e.data.reason }) }];
    case 'OpportunityReopened':
      return [{ table: 'opportunity_events', row: opportunityFact(e, {}) }];
    case 'CampaignLaunched':
      return [{
        table: 'campaigns',
        row: { ...base, campaign_id: e.data.campaignId, name: e.data.name, channel: e.data.channel, budget: e.data.budget ?? null },
      }];
    case 'CampaignCostRecorded':
      return [{
        table: 'campaign_costs',
        row: {
          ...base, campaign_id: e.data.campaignId, amount: e.data.amount,
          period_start: chTime(e.data.periodStart), period_end: chTime(e.data.periodEnd),
        },
      }];
    default: {
      const unreachable: never = e;
      throw new Error(`Unhandled event type ${(unreachable as { type: string }).type}`);
    }
  }
}

function opportunityFact(e: FunnelEvent & { data: { opportunityId: string } }, fields: Record<string, unknown>) {
  return {
    event_id: e.id,
    opportunity_id: e.data.opportunityId,
    occurred_at: chTime(e.occurredAt),
    type: e.type,
    stage: null, amount: null, account_id: null, owner_id: null, reason: null, next_step: null, due_at: null, resume_by: null,
    ...fields,
  };
}
