import { ratio, type FunnelStage } from '@funnel/domain';

/**
 * The activity vs movement report's rows (DESIGN §4 "Activity vs movement", effort against
 * progress) and how per-key counts become them. Production code: runner and reference share it.
 */

export interface ActivityMovementRow {
  readonly key: string | null;
  readonly activities: number;
  readonly movements: number;
  readonly leadsWorked: number;
  readonly leadsMoved: number;
  readonly leadsWorkedNotMoved: number;
  readonly activitiesPerMovement: number | null;
}

/** The stages whose explicit entries are movements: every stage after CAPTURED. */
export const MOVEMENT_STAGES: readonly FunnelStage[] = ['MQL', 'SAL', 'SQL', 'OPPORTUNITY', 'WON'];

/** Without a breakdown argument the report is by the lead's latest assignee. */
export const DEFAULT_ACTIVITY_BREAKDOWN = 'OWNER' as const;

export function activityMovementRow(key: string | null, c: Omit<ActivityMovementRow, 'key' | 'activitiesPerMovement'>): ActivityMovementRow {
  return { key, ...c, activitiesPerMovement: ratio(c.activities, c.movements) };
}
