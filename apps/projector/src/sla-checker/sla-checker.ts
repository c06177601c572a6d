import type { ClickHouse } from '@funnel/clickhouse';
import type { AlertConfig } from '@funnel/config';
import { slaBreachEventId, type LeadSlaBreached } from '@funnel/contracts';
import { slaCalendarOf, VERSION_ONE, type FunnelDefinition } from '@funnel/domain';
import type { EventLog } from '@funnel/event-log';
import { runSlaBreaches, type SlaBreach } from '@funnel/reporting';
import type { DataSource } from 'typeorm';

/** Time as the checker sees it; injected so tests move it instead of sleeping. */
export type Now = () => Date;

export interface SlaCheckerDeps {
  readonly eventLog: EventLog;
  readonly readModel: DataSource;
  readonly clickhouse: ClickHouse;
  readonly alerts: AlertConfig;
  readonly now: Now;
  /**
   * How many events the ClickHouse facts hold when they hold every event accepted so far, else
   * null. A check counts only when the facts were caught up before its query and had not moved
   * after it: a lead's activity still in the projection's lag, or half inserted, would otherwise
   * look missing and raise a false breach that the immutable log could never take back.
   */
  readonly factsSettled: () => Promise<number | null>;
}

/** Appended per call, so a backlog of years of breaches goes in as several log batches. */
const APPEND_CHUNK = 1_000;

/**
 * DESIGN §7: finds every speed-to-lead clock that ran out by now under the latest published
 * definition (the SLA report's own clocks, over the ClickHouse facts), appends one
 * LeadSlaBreached per lead and level, and records its alert delivery. Ids are deterministic and
 * the log keeps the first, the delivery row is keyed by the event id: any number of checkers,
 * restarts and replays make one event and one delivery per breach.
 */
export class SlaChecker {
  constructor(private readonly deps: SlaCheckerDeps) {}

  /** One check; returns the breaches recorded for the first time. */
  async check(): Promise<number> {
    const before = await this.deps.factsSettled();
    if (before === null) return 0;
    const now = this.deps.now();
    const definition = await latestDefinition(this.deps.readModel);
    const due = await runSlaBreaches(this.deps.clickhouse, {
      now: now.toISOString(),
      speedToLeadMinutes: definition.speedToLeadMinutes,
      calendar: slaCalendarOf(definition),
    });
    // Facts that moved during the query may have been read half written: try again next period.
    if ((await this.deps.factsSettled()) !== before) return 0;
    const fresh = await this.unrecorded(due);
    for (let i = 0; i < fresh.length; i += APPEND_CHUNK) {
      const chunk = fresh.slice(i, i + APPEND_CHUNK);
      const events = chunk.map((b) => breachEvent(b, definition.version));
      // The log first: a crash before the delivery rows are written finds the breach again next time.
      await this.deps.eventLog.append(events);
      await this.record(chunk, events, now);
    }
    return fresh.length;
  }

  private async unrecorded(due: readonly SlaBreach[]): Promise<SlaBreach[]> {
    if (due.length === 0) return [];
    const rows: { event_id: string }[] = await this.deps.readModel.query(
      `SELECT event_id FROM alert_deliveries WHERE event_id = ANY($1::text[])`,
      [due.map((b) => slaBreachEventId(b.leadId, b.level))],
    );
    const known = new Set(rows.map((r) => r.event_id));
    return due.filter((b) => !known.has(slaBreachEventId(b.leadId, b.level)));
  }

  /** One delivery per event: PENDING to notify, or SKIPPED (no webhook, or found too late to page anyone). */
  private async record(breaches: readonly SlaBreach[], events: readonly LeadSlaBreached[], now: Date): Promise<void> {
    const { webhookUrl, maxAgeHours } = this.deps.alerts;
    const rows = breaches.map((b, i) => {
      const e = events[i];
      const tooOld = now.getTime() - Date.parse(b.deadline) > maxAgeHours * 3_600_000;
      const reason = !webhookUrl ? 'ALERT_WEBHOOK_URL is not set' : tooOld ? `deadline more than ${maxAgeHours} h before it was found` : null;
      const body = JSON.stringify({
        id: e.id,
        type: e.type,
        leadId: b.leadId,
        level: b.level,
        deadline: b.deadline,
        definitionVersion: e.data.definitionVersion,
        ownerId: b.ownerId,
        mqlAt: b.mqlAt,
      });
      return { event_id: e.id, lead_id: b.leadId, level: b.level, deadline: b.deadline, status: reason ? 'SKIPPED' : 'PENDING', reason, body };
    });
    await this.deps.readModel.query(
      `INSERT INTO alert_deliveries (event_id, lead_id, level, deadline, found_at, status, reason, body, next_attempt_at)
       SELECT event_id, lead_id, level, deadline, $2, status, reason, body, CASE WHEN status = 'PENDING' THEN $2::timestamptz END
         FROM jsonb_to_recordset($1::jsonb)
           AS x(event_id text, lead_id text, level text, deadline timestamptz, status text, reason text, body text)
       ON CONFLICT (event_id) DO NOTHING`,
      [JSON.stringify(rows), now.toISOString()],
    );
  }
}

function breachEvent(b: SlaBreach, definitionVersion: number): LeadSlaBreached {
  return {
    id: slaBreachEventId(b.leadId, b.level),
    type: 'LeadSlaBreached',
    occurredAt: b.deadline,
    schemaVersion: 1,
    source: 'sla-checker',
    data: { leadId: b.leadId, level: b.level, deadline: b.deadline, definitionVersion },
  };
}

/** The latest published definition; version 1 (DESIGN defaults) until another is published. */
async function latestDefinition(ds: DataSource): Promise<FunnelDefinition> {
  const rows: { definition: FunnelDefinition }[] = await ds.query(
    `SELECT definition FROM funnel_definition_versions ORDER BY version DESC LIMIT 1`,
  );
  return rows[0]?.definition ?? VERSION_ONE;
}
