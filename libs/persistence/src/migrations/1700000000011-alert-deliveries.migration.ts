import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SLA breach alerts (DESIGN §7): one delivery per LeadSlaBreached event and every attempt at it.
 * Not a read model: a replay must not reset them, or breaches would be notified again.
 * `claimed_until` is the lease a worker takes (atomically, FOR UPDATE SKIP LOCKED) before it
 * POSTs, so two workers never send the same delivery at once.
 */
export class AlertDeliveries1700000000011 implements MigrationInterface {
  name = 'AlertDeliveries1700000000011';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE alert_deliveries (
      event_id text PRIMARY KEY,
      lead_id text NOT NULL,
      level text NOT NULL,
      deadline timestamptz NOT NULL,
      found_at timestamptz NOT NULL,
      status text NOT NULL CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED', 'SKIPPED')),
      reason text,
      body text NOT NULL,
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz,
      claimed_until timestamptz,
      delivered_at timestamptz
    )`);
    await q.query(`CREATE INDEX alert_deliveries_due ON alert_deliveries (next_attempt_at) WHERE status = 'PENDING'`);
    await q.query(`CREATE INDEX alert_deliveries_page ON alert_deliveries (found_at, event_id)`);
    await q.query(`CREATE TABLE alert_delivery_attempts (
      event_id text NOT NULL REFERENCES alert_deliveries (event_id),
      attempt integer NOT NULL,
      at timestamptz NOT NULL,
      http_status integer,
      error text,
      PRIMARY KEY (event_id, attempt)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE alert_delivery_attempts`);
    await q.query(`DROP TABLE alert_deliveries`);
  }
}
