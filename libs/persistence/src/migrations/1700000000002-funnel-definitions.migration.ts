import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The funnel definition registry, folded from the definition events in subject_events:
 * published versions (immutable; version 1 = DESIGN defaults) and drafts with their sign-offs.
 */
export class FunnelDefinitions1700000000002 implements MigrationInterface {
  name = 'FunnelDefinitions1700000000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE funnel_definition_versions (version integer PRIMARY KEY, definition jsonb NOT NULL)`);
    await q.query(`CREATE TABLE funnel_definition_drafts (draft_id text PRIMARY KEY, draft jsonb NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE funnel_definition_drafts`);
    await q.query(`DROP TABLE funnel_definition_versions`);
  }
}
