import { Inject } from '@nestjs/common';
import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import { READ_MODEL } from '@funnel/platform';
import type { DataSource } from 'typeorm';
import { cursorOf, DEFAULT_PAGE_SIZE, keyOf, pageSize, keysetPage } from '../common/keyset-cursor';
import { AlertDeliveryConnection, AlertDeliveryStatusEnum, type AlertDelivery } from './alert-deliveries.model';

const LIST = 'alertDeliveries';

interface DeliveryRow {
  event_id: string;
  lead_id: string;
  level: string;
  deadline: Date;
  found_at: Date;
  status: string;
  reason: string | null;
  attempts: number;
  next_attempt_at: Date | null;
  delivered_at: Date | null;
  tries: { attempt: number; at: string; http_status: number | null; error: string | null }[];
}

/** The SLA breach alerts and every attempt at them (DESIGN §7), from the PostgreSQL tables the checker writes. */
@Resolver()
export class AlertDeliveriesResolver {
  constructor(@Inject(READ_MODEL) private readonly ds: DataSource) {}

  @Query(() => AlertDeliveryConnection, { complexity: 10, description: 'SLA breach webhook deliveries with their attempts, oldest found first, a page at a time' })
  async alertDeliveries(
    @Args('status', { type: () => AlertDeliveryStatusEnum, nullable: true }) status: string | null,
    @Args('first', { type: () => Int, nullable: true, defaultValue: DEFAULT_PAGE_SIZE }) first: number,
    @Args('after', { type: () => String, nullable: true }) after?: string | null,
  ): Promise<AlertDeliveryConnection> {
    const size = pageSize(first);
    // Keyset on (found_at, event_id): a delivery found between two pages sorts after both.
    const [afterMs, afterId] = after ? (keyOf(LIST, after, 'string', 'string') as [string, string]) : [null, null];
    const rows: DeliveryRow[] = await this.ds.query(
      `SELECT d.*,
              COALESCE((SELECT jsonb_agg(jsonb_build_object('attempt', a.attempt, 'at', a.at, 'http_status', a.http_status, 'error', a.error) ORDER BY a.attempt)
                          FROM alert_delivery_attempts a WHERE a.event_id = d.event_id), '[]'::jsonb) AS tries
         FROM alert_deliveries d
        WHERE ($1::text IS NULL OR d.status = $1)
          AND ($2::timestamptz IS NULL OR (d.found_at, d.event_id) > ($2::timestamptz, $3::text))
        ORDER BY d.found_at, d.event_id
        LIMIT $4`,
      [status ?? null, afterMs, afterId, size + 1],
    );
    const [{ n }] = await this.ds.query(`SELECT count(*)::int AS n FROM alert_deliveries WHERE ($1::text IS NULL OR status = $1)`, [status ?? null]);
    return {
      totalCount: n,
      ...keysetPage(rows, size, after, (r) => ({ cursor: cursorOf(LIST, r.found_at.toISOString(), r.event_id), node: deliveryOf(r) })),
    };
  }
}

function deliveryOf(r: DeliveryRow): AlertDelivery {
  return {
    id: r.event_id,
    leadId: r.lead_id,
    level: r.level,
    deadline: r.deadline,
    foundAt: r.found_at,
    status: r.status,
    reason: r.reason,
    attemptCount: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    deliveredAt: r.delivered_at,
    attempts: r.tries.map((t) => ({ attempt: t.attempt, at: new Date(t.at), httpStatus: t.http_status, error: t.error })),
  };
}
