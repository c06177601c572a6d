import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Personal data (DESIGN §8). `lead_keys`: one random AES-256 data key per lead that had a
 * contact, written by ingest before the sealed contact reaches the log; NOT a read model (a
 * replay must not reset it, or every contact would become unreadable). Erasure sets `data_key`
 * to NULL and stamps `erased_at`/`erased_by`: the row is then the erasure's audit record and a
 * tombstone that keeps later contacts of the lead out. `lead_contacts`: the read model holding
 * each lead's latest sealed contact, for the admin lookup.
 */
export class PersonalData1700000000015 implements MigrationInterface {
  name = 'PersonalData1700000000015';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE lead_keys (
      lead_id text PRIMARY KEY,
      data_key bytea,
      created_at timestamptz NOT NULL,
      erased_at timestamptz,
      erased_by text,
      CHECK ((data_key IS NULL) = (erased_at IS NOT NULL))
    )`);
    await q.query(`CREATE TABLE lead_contacts (
      lead_id text PRIMARY KEY,
      event_id text NOT NULL,
      captured_at timestamptz NOT NULL,
      sealed text NOT NULL
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE lead_contacts`);
    await q.query(`DROP TABLE lead_keys`);
  }
}
