import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Current state of a lead; written by the postgres projection only. */
@Entity({ name: 'leads' })
export class LeadEntity {
  @PrimaryColumn({ name: 'lead_id', type: 'text' }) leadId!: string;
  @Column({ name: 'account_id', type: 'text', nullable: true }) accountId!: string | null;
  @Column({ name: 'first_seen_at', type: 'timestamptz' }) firstSeenAt!: Date;
  @Column({ name: 'captured_at', type: 'timestamptz', nullable: true }) capturedAt!: Date | null;
  @Column({ name: 'source_campaign_id', type: 'text', nullable: true }) sourceCampaignId!: string | null;
  @Column({ name: 'capture_channel', type: 'text', nullable: true }) captureChannel!: string | null;
  @Column({ name: 'first_touch_channel', type: 'text', nullable: true }) firstTouchChannel!: string | null;
  @Column({ type: 'text', nullable: true }) segment!: string | null;
  @Column({ type: 'text', nullable: true }) region!: string | null;
  @Column({ type: 'text', nullable: true }) product!: string | null;
  @Column({ type: 'text', nullable: true }) industry!: string | null;
  @Column({ name: 'company_size', type: 'text', nullable: true }) companySize!: string | null;
  @Column({ name: 'mql_at', type: 'timestamptz', nullable: true }) mqlAt!: Date | null;
  @Column({ name: 'sal_at', type: 'timestamptz', nullable: true }) salAt!: Date | null;
  @Column({ name: 'sql_at', type: 'timestamptz', nullable: true }) sqlAt!: Date | null;
  @Column({ name: 'current_stage', type: 'text', nullable: true }) currentStage!: string | null;
  @Column({ type: 'double precision', nullable: true }) score!: number | null;
  @Column({ type: 'boolean', nullable: true }) budget!: boolean | null;
  @Column({ type: 'boolean', nullable: true }) authority!: boolean | null;
  @Column({ type: 'boolean', nullable: true }) need!: boolean | null;
  @Column({ name: 'timeline_days', type: 'integer', nullable: true }) timelineDays!: number | null;
  @Column({ name: 'owner_id', type: 'text', nullable: true }) ownerId!: string | null;
  @Column({ name: 'first_activity_at', type: 'timestamptz', nullable: true }) firstActivityAt!: Date | null;
  @Column({ name: 'last_activity_at', type: 'timestamptz', nullable: true }) lastActivityAt!: Date | null;
  @Column({ type: 'text', nullable: true }) disposition!: string | null;
  @Column({ name: 'dispositioned_at', type: 'timestamptz', nullable: true }) dispositionedAt!: Date | null;
  @Column({ name: 'recycled_at', type: 'timestamptz', nullable: true }) recycledAt!: Date | null;
  @Column({ type: 'jsonb' }) state!: unknown;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
