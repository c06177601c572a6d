import type { ClickHouse } from '@funnel/clickhouse';
import { runCohortActivity } from '@funnel/reporting';
import type { FieldWarnings } from './report-warnings';

/**
 * The data-quality rules of DESIGN §5, one place for each; resolvers call them with their
 * answer. Each keeps the report's numbers as DESIGN defines them and says when they mislead.
 */

/** NO_ACTIVITY_DATA: the SLA cohort has leads but not one LeadActivityLogged. */
export async function warnIfNoActivity(ch: ClickHouse, period: { from: string; to: string }, warnings: FieldWarnings): Promise<void> {
  const { leads, withActivity } = await runCohortActivity(ch, period);
  if (leads > 0 && withActivity === 0) {
    warnings.add('NO_ACTIVITY_DATA',
      `none of the ${leads} MQLs of [${period.from}, ${period.to}) has a LeadActivityLogged at all: every clock that ran out counts as breached, ` +
      'so this measures missing activity data as much as slow follow-up; send LeadActivityLogged events from the CRM');
  }
}

/** NO_COST_DATA: no campaign has a cost record in the period, so cost ratios are null. */
export function warnIfNoCost(rows: readonly { costRecorded: boolean }[], warnings: FieldWarnings): void {
  if (!rows.some((r) => r.costRecorded)) {
    warnings.add('NO_COST_DATA',
      'no CampaignCostRecorded overlaps the period: cost is unknown (0 here), and costPerLead, costPerWonDeal and roas are null');
  }
}

/** NO_TOUCH_DATA: conversions exist but every one is credited to (none). */
export function warnIfNoTouches(report: { conversions: number; rows: readonly { key: string }[] }, none: string, warnings: FieldWarnings): void {
  if (report.conversions > 0 && report.rows.every((r) => r.key === none)) {
    warnings.add('NO_TOUCH_DATA',
      `all ${report.conversions} conversions are credited to ${none}: their journeys hold no touch (LeadTouched, or a LeadCaptured with a campaign) in the lookback`);
  }
}

/** IMMATURE_COHORT: per cohort row whose maturity is below 1. */
export function warnIfImmature(rows: readonly { cohort: string; maturity: number }[], warnings: FieldWarnings): void {
  rows.forEach((r, i) => {
    if (r.maturity < 1) {
      warnings.add('IMMATURE_COHORT',
        `cohort ${r.cohort} has maturity ${Math.round(r.maturity * 10000) / 10000}: part of it is younger than windowDays at asOf, so its rate is still rising`, [i]);
    }
  });
}
