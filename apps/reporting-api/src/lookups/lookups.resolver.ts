import { Inject } from '@nestjs/common';
import { Args, ID, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, READ_MODEL, type Principal } from '@funnel/platform';
import type { SubjectKind } from '@funnel/contracts';
import { CAMPAIGNS, openContact } from '@funnel/read-model';
import type { DataSource } from 'typeorm';
import { Campaign, EventRecord, Lead, LeadContact, Opportunity } from './lookups.model';
import { LEAD_RECORD_SELECT, leadRecordOf, opportunityRecordOf, opportunityRecordSelect } from './record-rows';

async function history(ds: DataSource, kind: SubjectKind, id: string): Promise<EventRecord[]> {
  const rows: { event: { id: string; type: string; occurredAt: string; data: unknown } }[] = await ds.query(
    `SELECT event FROM subject_events WHERE subject_kind = $1 AND subject_id = $2 ORDER BY occurred_at, event_id`,
    [kind, id],
  );
  return rows.map(({ event }) => ({ id: event.id, type: event.type, occurredAt: new Date(event.occurredAt), data: JSON.stringify(event.data) }));
}

/** Record-level lookups for BI tools and for following one lead through both teams. */
@Resolver(() => Lead)
export class LeadLookupResolver {
  constructor(@Inject(READ_MODEL) private readonly ds: DataSource) {}

  @Query(() => Lead, { nullable: true, description: 'A lead by id, with its stage entries and links' })
  async lead(@Args('id', { type: () => ID }) id: string): Promise<Lead | null> {
    const [row] = await this.ds.query(
      `SELECT ${LEAD_RECORD_SELECT} FROM leads l JOIN lead_funnel f ON f.lead_id = l.lead_id WHERE l.lead_id = $1`,
      [id],
    );
    return row ? leadRecordOf(row) : null;
  }

  @ResolveField(() => [EventRecord], { description: 'Every event of the lead in business-time order' })
  history(@Parent() lead: Lead): Promise<EventRecord[]> {
    return history(this.ds, 'lead', lead.id);
  }

  // Null rather than FORBIDDEN for an analyst: a lookup that also asks for the contact still
  // answers everything else, and an analyst cannot tell "erased" from "not yours".
  @ResolveField(() => LeadContact, {
    nullable: true,
    description: 'Its latest captured contact, for admin keys only (null for other roles, without a contact, or after erasure)',
  })
  async contact(@Parent() lead: Lead, @CurrentPrincipal() caller: Principal): Promise<LeadContact | null> {
    if (!caller.roles.includes('admin')) return null;
    const contact = await openContact(this.ds, lead.id);
    return contact && { email: contact.email ?? null, name: contact.name ?? null, phone: contact.phone ?? null };
  }
}

@Resolver(() => Opportunity)
export class OpportunityLookupResolver {
  constructor(@Inject(READ_MODEL) private readonly ds: DataSource) {}

  @Query(() => Opportunity, { nullable: true })
  async opportunity(@Args('id', { type: () => ID }) id: string): Promise<Opportunity | null> {
    const [row] = await this.ds.query(
      `SELECT ${opportunityRecordSelect('o')} FROM opportunities o WHERE o.opportunity_id = $1`,
      [id],
    );
    return row ? opportunityRecordOf(row) : null;
  }

  @ResolveField(() => [EventRecord])
  history(@Parent() o: Opportunity): Promise<EventRecord[]> {
    return history(this.ds, 'opportunity', o.id);
  }
}

@Resolver(() => Campaign)
export class CampaignLookupResolver {
  constructor(@Inject(READ_MODEL) private readonly ds: DataSource) {}

  @Query(() => [Campaign], { description: 'Every campaign id seen in a launch, a cost, a capture or a touch, by id' })
  async campaigns(): Promise<Campaign[]> {
    // A CRM export often names campaigns only on its leads (Olist's landing pages): those count too.
    const rows = await this.ds.query(
      // Every campaign id seen anywhere, launched or not; USING merges the ids, so the declared
      // columns read unqualified (campaign_id from ids, the rest from campaigns when launched).
      `WITH ids AS (
         SELECT campaign_id FROM campaigns
         UNION SELECT campaign_id FROM campaign_costs
         UNION SELECT source_campaign_id FROM leads WHERE source_campaign_id IS NOT NULL
         UNION SELECT event->'data'->>'campaignId' FROM subject_events
                WHERE type IN ('LeadCaptured', 'LeadTouched') AND event->'data'->>'campaignId' IS NOT NULL)
       SELECT ${Object.keys(CAMPAIGNS.columns).join(', ')},
              COALESCE((SELECT sum(amount) FROM campaign_costs k WHERE k.campaign_id = ids.campaign_id), 0) AS total_cost
         FROM ids LEFT JOIN campaigns USING (campaign_id) ORDER BY campaign_id`,
    );
    return rows.map((r: Record<string, unknown>) => ({ ...CAMPAIGNS.fieldsOf(r), id: r.campaign_id as string, totalCost: Number(r.total_cost) }));
  }

  @ResolveField(() => [EventRecord])
  history(@Parent() c: Campaign): Promise<EventRecord[]> {
    return history(this.ds, 'campaign', c.id);
  }
}
