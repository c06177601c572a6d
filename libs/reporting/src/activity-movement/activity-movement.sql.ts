import type { ClickHouse } from '@funnel/clickhouse';
import type { Dimension } from '@funnel/domain';
import { entryCol, leadReachCtes, REPORT_SETTINGS } from '../lead-reach.sql';
import { activityMovementRow, DEFAULT_ACTIVITY_BREAKDOWN, MOVEMENT_STAGES, type ActivityMovementRow } from './activity-movement.rows';

const inPeriodSql = (col: string) => `ifNull(${col} >= {from:DateTime64(3, 'UTC')} AND ${col} < {to:DateTime64(3, 'UTC')}, 0)`;

/**
 * Per lead key: activities in [{from}, {to}) (distinct event ids) and explicit stage entries
 * (MQL..WON, the entry times of stage reach) in the period, over the leads that have either.
 */
export function activityMovementSql(breakdown: Dimension): string {
  return `WITH ${leadReachCtes(breakdown)},
acts AS (
  SELECT lead_id, uniqExact(event_id) AS n FROM lead_activities
  WHERE occurred_at >= {from:DateTime64(3, 'UTC')} AND occurred_at < {to:DateTime64(3, 'UTC')}
  GROUP BY lead_id
),
per_lead AS (
  SELECT r.key AS key, ifNull(a.n, 0) AS activities,
         ${MOVEMENT_STAGES.map((s) => inPeriodSql(`r.${entryCol(s)}`)).join(' + ')} AS movements
  FROM reach AS r LEFT JOIN acts AS a ON a.lead_id = r.lead_id
)
SELECT key, sum(activities) AS activity_count, sum(movements) AS movement_count,
       countIf(activities > 0) AS worked, countIf(movements > 0) AS moved, countIf(activities > 0 AND movements = 0) AS worked_not_moved
FROM per_lead
WHERE activities > 0 OR movements > 0
GROUP BY key
ORDER BY key
${REPORT_SETTINGS}`;
}

export interface ActivityMovementParams {
  readonly from: string;
  readonly to: string;
  readonly breakdown?: Dimension;
}

/** DESIGN §4 Activity vs movement; a key with neither activities nor movements has no row. */
export async function runActivityMovement(ch: ClickHouse, p: ActivityMovementParams): Promise<ActivityMovementRow[]> {
  const rows = await ch.query<{ key: string; activity_count: string; movement_count: string; worked: string; moved: string; worked_not_moved: string }>(
    activityMovementSql(p.breakdown ?? DEFAULT_ACTIVITY_BREAKDOWN),
    { from: p.from, to: p.to },
  );
  return rows.map((r) =>
    activityMovementRow(r.key, {
      activities: Number(r.activity_count),
      movements: Number(r.movement_count),
      leadsWorked: Number(r.worked),
      leadsMoved: Number(r.moved),
      leadsWorkedNotMoved: Number(r.worked_not_moved),
    }),
  );
}
