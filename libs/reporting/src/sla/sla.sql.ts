import type { ClickHouse } from '@funnel/clickhouse';
import { CALENDAR_MINUTES, type Dimension, type SlaCalendar } from '@funnel/domain';
import { leadQualityRow, type LeadQualityRow } from '../lead-quality/lead-quality.rows';
import { slaRow, type SlaRow } from './sla.rows';
import { leadReachCtes, millis, REPORT_SETTINGS } from '../lead-reach.sql';
import { calendarParams, deadlineSql, workingMsSql, type CalendarRange } from './sla-calendar.sql';

const AS_OF = `{asOf:DateTime64(3, 'UTC')}`;
const LIMIT_MS = `{limitMinutes:Int64} * 60000`;

/**
 * CTEs ending in `clocks`: one row per lead whose MQL reach (entered or inferred) is in
 * [{from}, {to}), with its speed-to-lead clock: it starts at reach(MQL), is due at `deadline`
 * (ms; start + {limitMinutes}, in working minutes under working hours, NULL when beyond the
 * calendar's range) and stops at the first activity in [start, {asOf}]; status MET / BREACHED /
 * PENDING. `working` switches the clock to the calendar parameters of sla-calendar.sql.ts.
 */
export function slaClockCtes(breakdown: Dimension | undefined, working: boolean): string {
  const deadline = (limitMs: string) => (working ? deadlineSql('c.start', limitMs) : `(${millis('c.start')} + ${limitMs})`);
  const elapsed = working ? `(${workingMsSql('s.stop')} - ${workingMsSql('c.start')})` : `(${millis('s.stop')} - ${millis('c.start')})`;
  return `WITH ${leadReachCtes(breakdown)},
cohort AS (
  SELECT lead_id, key, r_mql AS start, r_sql IS NOT NULL AS to_sql, r_won IS NOT NULL AS to_won FROM reach
  WHERE r_mql >= {from:DateTime64(3, 'UTC')} AND r_mql < {to:DateTime64(3, 'UTC')}
),
stops AS (
  SELECT c.lead_id AS lead_id,
         minIfOrNull(a.occurred_at, a.occurred_at >= c.start AND a.occurred_at <= ${AS_OF}) AS stop,
         countIf(a.occurred_at <= ${AS_OF}) > 0 AS followed_up
  FROM cohort AS c INNER JOIN lead_activities AS a ON a.lead_id = c.lead_id
  GROUP BY c.lead_id
),
due AS (
  SELECT c.lead_id AS lead_id, c.key AS key, c.start AS start, c.to_sql AS to_sql, c.to_won AS to_won,
         ifNull(s.followed_up, 0) AS followed_up, s.stop AS stop,
         if(s.stop IS NULL, NULL, ${elapsed} / 60000.0) AS minutes,
         ${deadline(LIMIT_MS)} AS deadline,
         ${deadline(`2 * ${LIMIT_MS}`)} AS escalation
  FROM cohort AS c LEFT JOIN stops AS s ON s.lead_id = c.lead_id
),
clocks AS (
  SELECT *,
         multiIf(stop IS NOT NULL AND (deadline IS NULL OR ${millis('stop')} <= deadline), 'MET',
                 stop IS NOT NULL OR (deadline IS NOT NULL AND ${millis(AS_OF)} > deadline), 'BREACHED',
                 'PENDING') AS status
  FROM due
)`;
}

export function slaSql(breakdown: Dimension | undefined, working: boolean): string {
  return `${slaClockCtes(breakdown, working)}
SELECT key, countIf(status = 'MET') AS met, countIf(status = 'BREACHED') AS breached, countIf(status = 'PENDING') AS pending,
       countIf(NOT followed_up) AS never_followed_up,
       quantileExactInclusiveIf(0.5)(assumeNotNull(minutes), minutes IS NOT NULL) AS p50,
       countIf(minutes IS NOT NULL) AS stopped
FROM clocks
GROUP BY key
ORDER BY key
${REPORT_SETTINGS}`;
}

export interface SlaParams {
  readonly from: string;
  readonly to: string;
  readonly asOf: string;
  readonly speedToLeadMinutes: number;
  readonly breakdown?: Dimension;
  /** The definition's working hours and zone; default calendar minutes. */
  readonly calendar?: SlaCalendar;
}

function params(p: SlaParams): Record<string, unknown> {
  const calendar = p.calendar ?? CALENDAR_MINUTES;
  // Every instant a clock compares lies in [from, max(to, asOf)]: starts in the period, stops by asOf.
  const range: CalendarRange = { from: p.from, to: p.asOf > p.to ? p.asOf : p.to };
  return { from: p.from, to: p.to, asOf: p.asOf, limitMinutes: p.speedToLeadMinutes, ...calendarParams(calendar, range, 2 * p.speedToLeadMinutes) };
}
const working = (p: Pick<SlaParams, 'calendar'>) => p.calendar?.workingHours !== undefined;

/** DESIGN §4 SLA; without a breakdown there is always one row, zeros for an empty cohort. */
export async function runSla(ch: ClickHouse, p: SlaParams): Promise<SlaRow[]> {
  const rows = await ch.query<{ key: string | null; met: string; breached: string; pending: string; never_followed_up: string; p50: number; stopped: string }>(
    slaSql(p.breakdown, working(p)),
    params(p),
  );
  const result = rows.map((r) =>
    slaRow(r.key, {
      met: Number(r.met),
      breached: Number(r.breached),
      pending: Number(r.pending),
      neverFollowedUp: Number(r.never_followed_up),
      p50MinutesToFirstActivity: Number(r.stopped) > 0 ? r.p50 : null,
    }),
  );
  if (p.breakdown === undefined && result.length === 0) {
    return [slaRow(null, { met: 0, breached: 0, pending: 0, neverFollowedUp: 0, p50MinutesToFirstActivity: null })];
  }
  return result;
}

export function leadQualitySql(breakdown: Dimension | undefined, working: boolean): string {
  return `${slaClockCtes(breakdown, working)}
SELECT key, status, count() AS n, countIf(to_sql) AS to_sql, countIf(to_won) AS to_won
FROM clocks
GROUP BY key, status
ORDER BY key
${REPORT_SETTINGS}`;
}

/** Met vs breached MQLs per key and how each group went on to SQL and WON; clocks read at {asOf} (default `to`). */
export async function runLeadQuality(ch: ClickHouse, p: Omit<SlaParams, 'asOf'> & { asOf?: string }): Promise<LeadQualityRow[]> {
  const rows = await ch.query<{ key: string | null; status: 'MET' | 'BREACHED' | 'PENDING'; n: string; to_sql: string; to_won: string }>(
    leadQualitySql(p.breakdown, working(p)),
    params({ ...p, asOf: p.asOf ?? p.to }),
  );
  const none = { count: 0, toSql: 0, toWon: 0 };
  const byKey = new Map<string | null, { MET: typeof none; BREACHED: typeof none }>();
  for (const r of rows) {
    // A key whose clocks are all pending still has its (empty) row.
    const entry = byKey.get(r.key) ?? { MET: none, BREACHED: none };
    if (r.status !== 'PENDING') entry[r.status] = { count: Number(r.n), toSql: Number(r.to_sql), toWon: Number(r.to_won) };
    byKey.set(r.key, entry);
  }
  if (p.breakdown === undefined && byKey.size === 0) byKey.set(null, { MET: none, BREACHED: none });
  return [...byKey].map(([key, g]) => leadQualityRow(key, g.MET, g.BREACHED));
}
