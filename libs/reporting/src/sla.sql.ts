import type { Dimension } from '@funnel/domain';
import { leadReachCtes, millis, REPORT_SETTINGS } from './lead-reach.sql';

/**
 * Speed to lead per key for leads whose MQL reach (entered or inferred) is in [{from}, {to}):
 * the clock starts at reach(MQL) and stops at the first activity in [start, {asOf}].
 * Params: from, to, asOf (DateTime64), limitMinutes (Int64).
 */
export function slaSql(breakdown?: Dimension): string {
  const asOf = `{asOf:DateTime64(3, 'UTC')}`;
  const limitMs = `{limitMinutes:Int64} * 60000`;
  return `WITH ${leadReachCtes(breakdown)},
cohort AS (
  SELECT lead_id, key, r_mql AS start FROM reach
  WHERE r_mql >= {from:DateTime64(3, 'UTC')} AND r_mql < {to:DateTime64(3, 'UTC')}
),
clocks AS (
  SELECT c.lead_id AS lead_id, any(c.key) AS key, any(c.start) AS start,
         minIfOrNull(a.occurred_at, a.occurred_at >= c.start AND a.occurred_at <= ${asOf}) AS stop,
         countIf(a.occurred_at <= ${asOf}) > 0 AS followed_up
  FROM cohort AS c LEFT JOIN lead_activities AS a ON a.lead_id = c.lead_id
  GROUP BY c.lead_id
)
SELECT key,
       countIf(stop IS NOT NULL AND ${millis('stop')} - ${millis('start')} <= ${limitMs}) AS met,
       countIf((stop IS NOT NULL AND ${millis('stop')} - ${millis('start')} > ${limitMs})
            OR (stop IS NULL AND ${millis(asOf)} - ${millis('start')} > ${limitMs})) AS breached,
       count() - met - breached AS pending,
       countIf(NOT followed_up) AS neverFollowedUp,
       quantileExactInclusiveIf(0.5)((${millis('stop')} - ${millis('start')}) / 60000.0, stop IS NOT NULL) AS p50
FROM clocks
GROUP BY key
ORDER BY key
${REPORT_SETTINGS}`;
}
