import type { FunnelEvent } from '@funnel/contracts';
import { buildFunnelModel, compareKeys, inPeriod, leadKey, stageReach, toInstant, type Dimension } from '@funnel/domain';
import { activityMovementRow, DEFAULT_ACTIVITY_BREAKDOWN, MOVEMENT_STAGES, type ActivityMovementRow } from './activity-movement.rows';

export interface ActivityMovementOptions {
  readonly from: string;
  readonly to: string;
  /** Default OWNER: the lead's latest assignee in the whole log, not the activity's own ownerId. */
  readonly breakdown?: Dimension;
}

/** DESIGN §4 "Activity vs movement": activities and explicit stage entries in [from, to), per lead key. */
export function activityMovementReport(events: readonly FunnelEvent[], opts: ActivityMovementOptions): ActivityMovementRow[] {
  const model = buildFunnelModel(events);
  const [from, to] = [toInstant(opts.from), toInstant(opts.to)];
  const byKey = new Map<string, { activities: number; movements: number; leadsWorked: number; leadsMoved: number; leadsWorkedNotMoved: number }>();
  for (const lead of model.leads.values()) {
    const activities = lead.events.filter((e) => e.type === 'LeadActivityLogged' && inPeriod(e.occurredAt, from, to)).length;
    const reach = stageReach(model, lead);
    // An entered stage's reach time is its entry time.
    const movements = MOVEMENT_STAGES.filter((s) => reach.entered.has(s) && inPeriod(reach.reachedAt[s], from, to)).length;
    if (activities === 0 && movements === 0) continue;
    const key = leadKey(model, lead, opts.breakdown ?? DEFAULT_ACTIVITY_BREAKDOWN);
    const c = byKey.get(key) ?? { activities: 0, movements: 0, leadsWorked: 0, leadsMoved: 0, leadsWorkedNotMoved: 0 };
    byKey.set(key, {
      activities: c.activities + activities,
      movements: c.movements + movements,
      leadsWorked: c.leadsWorked + (activities > 0 ? 1 : 0),
      leadsMoved: c.leadsMoved + (movements > 0 ? 1 : 0),
      leadsWorkedNotMoved: c.leadsWorkedNotMoved + (activities > 0 && movements === 0 ? 1 : 0),
    });
  }
  return [...byKey].sort(([a], [b]) => compareKeys(a, b)).map(([key, c]) => activityMovementRow(key, c));
}
