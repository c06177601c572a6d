import type { FunnelEvent } from '@funnel/contracts';
import {
  buildFunnelModel,
  cohortOf,
  groupByKey,
  percentileInc,
  slaClock,
  toInstant,
  type SlaCalendar,
  type Dimension,
  type SlaStatus,
} from '@funnel/domain';
import { slaRow, type SlaRow } from './sla.rows';

export interface SlaOptions {
  readonly from: string;
  readonly to: string;
  readonly asOf: string;
  /** From the funnel definition version the report runs against (DESIGN §3, default 1440). */
  readonly speedToLeadMinutes: number;
  readonly breakdown?: Dimension;
  /** The definition's working hours and zone; default calendar minutes. */
  readonly calendar?: SlaCalendar;
}

/** DESIGN §4 "SLA (speed to lead)" over the leads whose MQL reach time is in the period. */
export function slaReport(events: readonly FunnelEvent[], opts: SlaOptions): SlaRow[] {
  const model = buildFunnelModel(events);
  const asOf = toInstant(opts.asOf);
  const cohort = cohortOf(model, 'MQL', opts.from, opts.to);
  return groupByKey(model, cohort, opts.breakdown).map(([key, leads]) => {
    const clocks = leads.map((c) => slaClock(c, asOf, opts.speedToLeadMinutes, opts.calendar));
    const count = (status: SlaStatus) => clocks.filter((c) => c.status === status).length;
    const [met, breached, pending] = [count('MET'), count('BREACHED'), count('PENDING')];
    const stopped = clocks.flatMap((c) => (c.minutesToFirstActivity === null ? [] : [c.minutesToFirstActivity]));
    return slaRow(key, {
      met,
      breached,
      pending,
      neverFollowedUp: clocks.filter((c) => !c.followedUp).length,
      p50MinutesToFirstActivity: percentileInc(stopped, 0.5) ?? null,
    });
  });
}

