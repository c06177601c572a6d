import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * PostgreSQL current state. Each row keeps the full CRDT-style `state` (jsonb) it was derived
 * from, so the projector can merge a new event into it in any order; the other columns are that
 * state flattened for queries and indexes.
 */
export class ReadModel1700000000000 implements MigrationInterface {
  name = 'ReadModel1700000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE leads (
        lead_id text PRIMARY KEY,
        account_id text,
        first_seen_at timestamptz NOT NULL,
        captured_at timestamptz,
        source_campaign_id text,
        capture_channel text,
        first_touch_channel text,
        segment text, region text, product text, industry text, company_size text,
        mql_at timestamptz, sal_at timestamptz, sql_at timestamptz,
        current_stage text,
        score double precision,
        budget boolean, authority boolean, need boolean, timeline_days integer,
        owner_id text,
        first_activity_at timestamptz, last_activity_at timestamptz,
        disposition text, dispositioned_at timestamptz,
        recycled_at timestamptz,
        state jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX leads_mql_at_idx ON leads (mql_at)`);
    await q.query(`CREATE INDEX leads_owner_idx ON leads (owner_id)`);
    await q.query(`CREATE INDEX leads_source_campaign_idx ON leads (source_campaign_id)`);

    await q.query(`
      CREATE TABLE opportunities (
        opportunity_id text PRIMARY KEY,
        account_id text,
        owner_id text,
        created_at timestamptz,
        creation_amount double precision,
        stage text,
        stage_changed_at timestamptz,
        amount double precision,
        status text NOT NULL DEFAULT 'open',
        status_changed_at timestamptz,
        lost_reason text,
        won_at timestamptz,
        won_amount double precision,
        next_step text, next_step_due_at timestamptz, next_step_set_at timestamptz,
        stall_reason text, stall_resume_by timestamptz,
        state jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX opportunities_status_idx ON opportunities (status)`);

    await q.query(`
      CREATE TABLE lead_opportunity_links (
        lead_id text NOT NULL,
        opportunity_id text NOT NULL,
        linked_at timestamptz NOT NULL,
        link_event_id text NOT NULL,
        PRIMARY KEY (lead_id, opportunity_id)
      )`);
    await q.query(`CREATE INDEX lead_opportunity_links_opp_idx ON lead_opportunity_links (opportunity_id)`);

    await q.query(`
      CREATE TABLE campaigns (
        campaign_id text PRIMARY KEY,
        name text, channel text, budget double precision, launched_at timestamptz,
        state jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE campaign_costs (
        event_id text PRIMARY KEY,
        campaign_id text NOT NULL,
        amount double precision NOT NULL,
        period_start timestamptz NOT NULL,
        period_end timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX campaign_costs_campaign_idx ON campaign_costs (campaign_id)`);

    await q.query(`
      CREATE TABLE dead_letters (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        projection text NOT NULL,
        event_id text NOT NULL,
        position text NOT NULL,
        error text NOT NULL,
        event jsonb NOT NULL,
        failed_at timestamptz NOT NULL DEFAULT now(),
        replayed_at timestamptz,
        UNIQUE (projection, event_id)
      )`);

    // Stage reach as DESIGN §4 defines it, where it needs other subjects: OPPORTUNITY at the
    // earliest created linked opportunity, WON at the earliest win of any linked opportunity,
    // channel falling back to the source campaign's channel.
    await q.query(`
      CREATE VIEW lead_funnel AS
      SELECT l.lead_id,
             COALESCE(l.captured_at, l.first_seen_at) AS captured_reach_at,
             l.captured_at IS NOT NULL AS captured_entered,
             l.mql_at, l.sal_at, l.sql_at,
             o.opportunity_at, o.won_at,
             l.source_campaign_id,
             COALESCE(l.capture_channel, c.channel, l.first_touch_channel) AS channel,
             l.segment, l.region, l.product, l.owner_id
        FROM leads l
        LEFT JOIN campaigns c ON c.campaign_id = l.source_campaign_id
        LEFT JOIN LATERAL (
          SELECT min(op.created_at) AS opportunity_at, min(op.won_at) AS won_at
            FROM lead_opportunity_links k
            JOIN opportunities op ON op.opportunity_id = k.opportunity_id AND op.created_at IS NOT NULL
           WHERE k.lead_id = l.lead_id
        ) o ON true`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP VIEW IF EXISTS lead_funnel`);
    for (const t of ['dead_letters', 'campaign_costs', 'campaigns', 'lead_opportunity_links', 'opportunities', 'leads']) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}
