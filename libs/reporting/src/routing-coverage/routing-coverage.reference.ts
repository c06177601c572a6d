import type { FunnelEvent } from '@funnel/contracts';
import {
  buildFunnelModel,
  cohortOf,
  compareKeys,
  groupByKey,
  leadKey,
  ms,
  percentileInc,
  toInstant,
  type CohortLead,
  type Dimension,
  type RoutingLeadList,
} from '@funnel/domain';
import { routingRow, type RoutingRow } from './routing-coverage.rows';

export interface RoutingOptions {
  readonly from: string;
  readonly to: string;
  /** Only assignments at or before asOf count; the cohort does not depend on it. */
  readonly asOf: string;
  /** The definition's fallbackQueues (DESIGN §3). */
  readonly fallbackQueues: readonly string[];
  readonly breakdown?: Dimension;
}

interface LeadRouting {
  readonly assignments: number;
  readonly minutesToAssignment: number | null;
  readonly inFallbackQueue: boolean;
}

/** A cohort lead's assignments at or before asOf, in (occurredAt, id) order as the model keeps events. */
function routingOf(c: CohortLead, asOf: string, fallbackQueues: readonly string[]): LeadRouting {
  const assignments = c.lead.events.filter((e) => e.type === 'LeadAssigned' && e.occurredAt <= asOf);
  const [first] = assignments;
  const last = assignments[assignments.length - 1];
  const queue = last?.type === 'LeadAssigned' ? last.data.queue : undefined;
  return {
    assignments: assignments.length,
    minutesToAssignment: first ? (ms(first.occurredAt) - ms(c.reach.reachedAt.MQL as string)) / 60_000 : null,
    inFallbackQueue: queue !== undefined && fallbackQueues.includes(queue),
  };
}

/** DESIGN §4 "Routing coverage" over the leads whose MQL reach time is in the period. */
export function routingCoverageReport(events: readonly FunnelEvent[], opts: RoutingOptions): RoutingRow[] {
  const model = buildFunnelModel(events);
  const asOf = toInstant(opts.asOf);
  return groupByKey(model, cohortOf(model, 'MQL', opts.from, opts.to), opts.breakdown).map(([key, leads]) => {
    const routed = leads.map((c) => routingOf(c, asOf, opts.fallbackQueues));
    const minutes = routed.flatMap((r) => (r.minutesToAssignment === null ? [] : [r.minutesToAssignment]));
    return routingRow(key, {
      mqls: leads.length,
      assigned: routed.filter((r) => r.assignments > 0).length,
      reassigned: routed.filter((r) => r.assignments >= 2).length,
      inFallbackQueue: routed.filter((r) => r.inFallbackQueue).length,
      p50MinutesToAssignment: percentileInc(minutes, 0.5) ?? null,
      p90MinutesToAssignment: percentileInc(minutes, 0.9) ?? null,
    });
  });
}

/** The cohort's lead ids in one list, for one key of the breakdown when given, in id order. */
export function routingLeadIds(events: readonly FunnelEvent[], opts: RoutingOptions & { list: RoutingLeadList; key?: string }): string[] {
  const model = buildFunnelModel(events);
  const asOf = toInstant(opts.asOf);
  return cohortOf(model, 'MQL', opts.from, opts.to)
    .filter((c) => opts.breakdown === undefined || opts.key === undefined || leadKey(model, c.lead, opts.breakdown) === opts.key)
    .filter((c) => {
      const r = routingOf(c, asOf, opts.fallbackQueues);
      return opts.list === 'UNASSIGNED' ? r.assignments === 0 : r.inFallbackQueue;
    })
    .map((c) => c.lead.leadId)
    .sort(compareKeys);
}
