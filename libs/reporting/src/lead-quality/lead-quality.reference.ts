import type { FunnelEvent } from '@funnel/contracts';
import {
  buildFunnelModel,
  cohortOf,
  groupByKey,
  outcomes,
  slaClock,
  toInstant,
  type SlaCalendar,
  type Dimension,
} from '@funnel/domain';
import { leadQualityRow, type LeadQualityRow } from './lead-quality.rows';

export interface LeadQualityOptions {
  readonly from: string;
  readonly to: string;
  /** When the SLA clocks are read; default `to`, the end of the period. */
  readonly asOf?: string;
  readonly speedToLeadMinutes: number;
  readonly breakdown?: Dimension;
  /** The definition's working hours and zone; default calendar minutes. */
  readonly calendar?: SlaCalendar;
}

/**
 * Does fast follow-up pay? The period's MQLs (the SLA cohort) split by SLA outcome, and how each
 * side went on to reach SQL and WON at any time. Pending clocks have no outcome yet and are left out.
 */
export function leadQualityVsHandling(events: readonly FunnelEvent[], opts: LeadQualityOptions): LeadQualityRow[] {
  const model = buildFunnelModel(events);
  const asOf = toInstant(opts.asOf ?? opts.to);
  const cohort = cohortOf(model, 'MQL', opts.from, opts.to);
  return groupByKey(model, cohort, opts.breakdown).map(([key, leads]) => {
    const status = new Map(leads.map((c) => [c, slaClock(c, asOf, opts.speedToLeadMinutes, opts.calendar).status]));
    return leadQualityRow(
      key,
      outcomes(leads.filter((c) => status.get(c) === 'MET')),
      outcomes(leads.filter((c) => status.get(c) === 'BREACHED')),
    );
  });
}

