import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** An event a projection could not apply, kept with its error until it is replayed. */
@Entity({ name: 'dead_letters' })
export class DeadLetterEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column({ type: 'text' }) projection!: string;
  @Column({ name: 'event_id', type: 'text' }) eventId!: string;
  @Column({ type: 'text' }) position!: string;
  @Column({ type: 'text' }) error!: string;
  @Column({ type: 'jsonb' }) event!: unknown;
  @Column({ name: 'failed_at', type: 'timestamptz' }) failedAt!: Date;
  @Column({ name: 'replayed_at', type: 'timestamptz', nullable: true }) replayedAt!: Date | null;
}
