import type { ClickHouse } from '@funnel/clickhouse';
import { leadReachCtes, REPORT_SETTINGS } from './lead-reach.sql';

/** The SLA cohort (MQL reach in [{from}, {to})) and how many of its leads have any logged activity, at any time. */
export const COHORT_ACTIVITY_SQL = `WITH ${leadReachCtes()},
cohort AS (SELECT lead_id FROM reach WHERE r_mql >= {from:DateTime64(3, 'UTC')} AND r_mql < {to:DateTime64(3, 'UTC')})
SELECT count() AS leads, countIf(lead_id IN (SELECT lead_id FROM lead_activities)) AS with_activity FROM cohort
${REPORT_SETTINGS}`;

/** For data-quality warnings: does the SLA cohort of a period hold any LeadActivityLogged at all? */
export async function runCohortActivity(ch: ClickHouse, p: { from: string; to: string }): Promise<{ leads: number; withActivity: number }> {
  const [row] = await ch.query<{ leads: string; with_activity: string }>(COHORT_ACTIVITY_SQL, p);
  return { leads: Number(row?.leads ?? 0), withActivity: Number(row?.with_activity ?? 0) };
}
