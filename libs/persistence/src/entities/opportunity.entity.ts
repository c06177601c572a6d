import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Current state of an opportunity; written by the postgres projection only. */
@Entity({ name: 'opportunities' })
export class OpportunityEntity {
  @PrimaryColumn({ name: 'opportunity_id', type: 'text' }) opportunityId!: string;
  @Column({ name: 'account_id', type: 'text', nullable: true }) accountId!: string | null;
  @Column({ name: 'owner_id', type: 'text', nullable: true }) ownerId!: string | null;
  @Column({ name: 'created_at', type: 'timestamptz', nullable: true }) createdAt!: Date | null;
  @Column({ name: 'creation_amount', type: 'double precision', nullable: true }) creationAmount!: number | null;
  @Column({ type: 'text', nullable: true }) stage!: string | null;
  @Column({ name: 'stage_changed_at', type: 'timestamptz', nullable: true }) stageChangedAt!: Date | null;
  @Column({ type: 'double precision', nullable: true }) amount!: number | null;
  @Column({ type: 'text' }) status!: 'open' | 'won' | 'lost';
  @Column({ name: 'status_changed_at', type: 'timestamptz', nullable: true }) statusChangedAt!: Date | null;
  @Column({ name: 'lost_reason', type: 'text', nullable: true }) lostReason!: string | null;
  @Column({ name: 'won_at', type: 'timestamptz', nullable: true }) wonAt!: Date | null;
  @Column({ name: 'won_amount', type: 'double precision', nullable: true }) wonAmount!: number | null;
  @Column({ name: 'next_step', type: 'text', nullable: true }) nextStep!: string | null;
  @Column({ name: 'next_step_due_at', type: 'timestamptz', nullable: true }) nextStepDueAt!: Date | null;
  @Column({ name: 'next_step_set_at', type: 'timestamptz', nullable: true }) nextStepSetAt!: Date | null;
  @Column({ name: 'stall_reason', type: 'text', nullable: true }) stallReason!: string | null;
  @Column({ name: 'stall_resume_by', type: 'timestamptz', nullable: true }) stallResumeBy!: Date | null;
  @Column({ type: 'jsonb' }) state!: unknown;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
