import type { ClickHouse } from '@funnel/clickhouse';
import type { SlaLevel } from '@funnel/contracts';
import type { SlaCalendar } from '@funnel/domain';
import { leadReachCtes, millis, REPORT_SETTINGS } from '../lead-reach.sql';
import { calendarParams } from './sla-calendar.sql';
import { slaClockCtes } from './sla.sql';

/** A lead whose speed-to-lead clock ran out (DESIGN §7): what the checker turns into a LeadSlaBreached. */
export interface SlaBreach {
  readonly leadId: string;
  readonly level: SlaLevel;
  /** ISO UTC: start + limit (twice the limit for ESCALATED), on the definition's calendar. */
  readonly deadline: string;
  readonly mqlAt: string;
  /** The lead's latest assignee (the OWNER key), null when it has none. */
  readonly ownerId: string | null;
}

export interface SlaBreachParams {
  readonly now: string;
  readonly speedToLeadMinutes: number;
  readonly calendar: SlaCalendar;
}

const NOW = `{asOf:DateTime64(3, 'UTC')}`;
const iso = (ms: string | number) => new Date(Number(ms)).toISOString();

/**
 * The SLA report's clocks (slaClockCtes, so the report and the checker share one clock) read at
 * {asOf} = now over every lead that reached MQL by then: BREACHED rows are the clocks the report
 * calls breached; ESCALATED those breached at twice the limit too.
 */
export function slaBreachesSql(working: boolean): string {
  const late = (deadline: string) =>
    `${deadline} IS NOT NULL AND (stop IS NULL AND ${millis(NOW)} > ${deadline} OR stop IS NOT NULL AND ${millis('stop')} > ${deadline})`;
  return `${slaClockCtes('OWNER', working)}
SELECT lead_id, nullIf(key, '(none)') AS owner_id, toString(${millis('start')}) AS mql_at,
       toString(deadline) AS deadline, if(${late('escalation')}, toString(escalation), NULL) AS escalated
FROM clocks
WHERE status = 'BREACHED'
ORDER BY lead_id
${REPORT_SETTINGS}`;
}

const EPOCH = '1970-01-01T00:00:00.000Z';

/** Every breach due by `now`, BREACHED and ESCALATED, in lead id order. */
export async function runSlaBreaches(ch: ClickHouse, p: SlaBreachParams): Promise<SlaBreach[]> {
  const working = p.calendar.workingHours !== undefined;
  // The working-hours calendar is listed day by day, so it starts at the earliest MQL, not 1970.
  let from = EPOCH;
  if (working) {
    const [first] = await ch.query<{ first: string }>(
      `WITH ${leadReachCtes(undefined)} SELECT toString(min(${millis('r_mql')})) AS first FROM reach WHERE r_mql IS NOT NULL HAVING count() > 0 ${REPORT_SETTINGS}`,
      {},
    );
    if (!first) return [];
    from = iso(first.first);
  }
  const range = { from, to: p.now };
  const rows = await ch.query<{ lead_id: string; owner_id: string | null; mql_at: string; deadline: string; escalated: string | null }>(
    slaBreachesSql(working),
    { from, to: p.now, asOf: p.now, limitMinutes: p.speedToLeadMinutes, ...calendarParams(p.calendar, range, 2 * p.speedToLeadMinutes) },
  );
  return rows.flatMap((r) => {
    const base = { leadId: r.lead_id, mqlAt: iso(r.mql_at), ownerId: r.owner_id };
    const breached: SlaBreach = { ...base, level: 'BREACHED', deadline: iso(r.deadline) };
    return r.escalated === null ? [breached] : [breached, { ...base, level: 'ESCALATED', deadline: iso(r.escalated) }];
  });
}
