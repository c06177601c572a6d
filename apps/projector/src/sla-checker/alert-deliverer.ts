import type { AlertConfig } from '@funnel/config';
import { backoffDelayMs, type RetryBackoff } from '@funnel/event-log';
import { createHmac, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Now } from './sla-checker';

/** 10 s doubling to 10 min, 8 tries: the last one about 21 minutes after the first (DESIGN: at least 5 over a minute). */
export const ALERT_RETRY_BACKOFF: RetryBackoff = { initialMs: 10_000, maxMs: 600_000 };
export const ALERT_MAX_ATTEMPTS = 8;
/** A receiver that has not answered by then counts as a failed attempt. */
export const ALERT_TIMEOUT_MS = 10_000;
/** How long a claimed delivery stays with its worker; well past the timeout, so no second worker sends it meanwhile. */
const LEASE_MS = 6 * ALERT_TIMEOUT_MS;
const CLAIM_BATCH = 20;

/** `X-Funnel-Signature`: sha256=<hex HMAC-SHA256 of the raw body> with ALERT_WEBHOOK_SECRET (DESIGN §7). */
export const alertSignature = (secret: string, body: string): string => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

interface Claimed {
  readonly event_id: string;
  readonly body: string;
  readonly attempts: number;
}

/**
 * Sends the due PENDING deliveries to ALERT_WEBHOOK_URL. A worker first claims a batch in one
 * statement (FOR UPDATE SKIP LOCKED, a lease in `claimed_until`), so two workers never hold the
 * same delivery; each attempt is recorded with its outcome, and a delivery is DELIVERED on the
 * first 2xx, retried with exponential backoff otherwise, FAILED after ALERT_MAX_ATTEMPTS.
 */
export class AlertDeliverer {
  private readonly worker = randomUUID();

  constructor(private readonly deps: { readonly readModel: DataSource; readonly alerts: AlertConfig; readonly now: Now }) {}

  /** Sends what is due now; returns the number of attempts made. */
  async deliverDue(): Promise<number> {
    const url = this.deps.alerts.webhookUrl;
    if (!url) return 0;
    const claimed = await this.claim();
    for (const d of claimed) await this.attempt(url, d);
    return claimed.length;
  }

  private async claim(): Promise<Claimed[]> {
    const now = this.deps.now();
    const rows: Claimed[] = await this.deps.readModel.query(
      `UPDATE alert_deliveries SET claimed_until = $2, attempts = attempts + 1
        WHERE event_id IN (
          SELECT event_id FROM alert_deliveries
           WHERE status = 'PENDING' AND next_attempt_at <= $1 AND (claimed_until IS NULL OR claimed_until <= $1)
           ORDER BY next_attempt_at, event_id LIMIT ${CLAIM_BATCH}
           FOR UPDATE SKIP LOCKED)
        RETURNING event_id, body, attempts`,
      [now.toISOString(), new Date(now.getTime() + LEASE_MS).toISOString()],
    );
    // UPDATE ... RETURNING comes back as [rows, count] from TypeORM's postgres driver.
    return (Array.isArray(rows[0]) ? rows[0] : rows) as Claimed[];
  }

  private async attempt(url: string, d: Claimed): Promise<void> {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-funnel-delivery': d.event_id };
    if (this.deps.alerts.webhookSecret) headers['x-funnel-signature'] = alertSignature(this.deps.alerts.webhookSecret, d.body);
    let httpStatus: number | null = null;
    let error: string | null = null;
    try {
      const response = await fetch(url, { method: 'POST', headers, body: d.body, signal: AbortSignal.timeout(ALERT_TIMEOUT_MS) });
      httpStatus = response.status;
      await response.body?.cancel();
      if (!response.ok) error = `HTTP ${response.status}`;
    } catch (e) {
      error = String((e as Error).message ?? e).slice(0, 500);
    }
    const at = this.deps.now();
    const delivered = error === null;
    const status = delivered ? 'DELIVERED' : d.attempts >= ALERT_MAX_ATTEMPTS ? 'FAILED' : 'PENDING';
    const next = status === 'PENDING' ? new Date(at.getTime() + backoffDelayMs(ALERT_RETRY_BACKOFF, d.attempts)).toISOString() : null;
    await this.deps.readModel.transaction(async (em) => {
      await em.query(`INSERT INTO alert_delivery_attempts (event_id, attempt, at, http_status, error) VALUES ($1, $2, $3, $4, $5)`, [
        d.event_id,
        d.attempts,
        at.toISOString(),
        httpStatus,
        error,
      ]);
      await em.query(
        `UPDATE alert_deliveries SET status = $2, next_attempt_at = $3, claimed_until = NULL, reason = $4,
                delivered_at = CASE WHEN $2 = 'DELIVERED' THEN $5::timestamptz END
          WHERE event_id = $1 AND status = 'PENDING'`,
        [d.event_id, status, next, error, at.toISOString()],
      );
    });
  }
}
