import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A lead-opportunity link (LeadConverted or OpportunityCreated.leadIds); links are timeless. */
@Entity({ name: 'lead_opportunity_links' })
export class LeadOpportunityLinkEntity {
  @PrimaryColumn({ name: 'lead_id', type: 'text' }) leadId!: string;
  @PrimaryColumn({ name: 'opportunity_id', type: 'text' }) opportunityId!: string;
  @Column({ name: 'linked_at', type: 'timestamptz' }) linkedAt!: Date;
  @Column({ name: 'link_event_id', type: 'text' }) linkEventId!: string;
}
