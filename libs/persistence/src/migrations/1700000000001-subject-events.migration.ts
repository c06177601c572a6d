import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every event per subject, so BI lookups (lead, opportunity, campaign) can show their history in
 * any deployment: the read model is fed from the log whether that is a table or Kafka.
 */
export class SubjectEvents1700000000001 implements MigrationInterface {
  name = 'SubjectEvents1700000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE subject_events (
        event_id text PRIMARY KEY,
        subject_kind text NOT NULL,
        subject_id text NOT NULL,
        type text NOT NULL,
        occurred_at timestamptz NOT NULL,
        event jsonb NOT NULL
      )`);
    await q.query(`CREATE INDEX subject_events_subject_idx ON subject_events (subject_kind, subject_id, occurred_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE subject_events`);
  }
}
