import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Corrections (DESIGN §2). `retracted_events`: one row per retracted event, from its
 * EventRetracted; a read model (a replay rebuilds it from the log). The projection leaves these
 * ids out of every other read model, so a redelivered retracted event changes nothing.
 */
export class RetractedEvents1700000000019 implements MigrationInterface {
  name = 'RetractedEvents1700000000019';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE retracted_events (
      event_id text PRIMARY KEY,
      retraction_id text NOT NULL,
      retracted_type text NOT NULL,
      subject_kind text NOT NULL,
      subject_id text NOT NULL,
      reason text NOT NULL,
      retracted_by text NOT NULL,
      retracted_at timestamptz NOT NULL
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE retracted_events`);
  }
}
