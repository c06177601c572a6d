import type { ClickHouse } from '@funnel/clickhouse';
import { leadReachCtes, millis, REPORT_SETTINGS } from '../lead-reach.sql';
import type { StallDays } from '../stalled/stalled.rows';
import { runStalled } from '../stalled/stalled.sql';
import type { ReviewStratum } from '@funnel/domain';
import { reviewSample, reviewWeek, type ReviewSample } from './review-sample.rows';

const FROM = `{from:DateTime64(3, 'UTC')}`;
const TO = `{to:DateTime64(3, 'UTC')}`;
const DEADLINE_MS = (mql: string) => `(${millis(mql)} + {limitMinutes:Int64} * 60000)`;

/**
 * The lead strata of the week [{from}, {to}) as (stratum, id) rows: ACCEPTED (explicit SAL entry
 * in the week), REJECTED (a LeadDispositioned in the week) and SLA_BREACHED (speed-to-lead
 * deadline, MQL reach + {limitMinutes}, in the week with no activity in [MQL reach, deadline]).
 */
export const REVIEW_LEAD_STRATA_SQL = `WITH ${leadReachCtes()},
clocks AS (
  SELECT lead_id, r_mql FROM reach
  WHERE r_mql IS NOT NULL AND ${DEADLINE_MS('r_mql')} >= ${millis(FROM)} AND ${DEADLINE_MS('r_mql')} < ${millis(TO)}
),
stopped AS (
  SELECT DISTINCT c.lead_id AS lead_id FROM clocks AS c INNER JOIN lead_activities AS a ON a.lead_id = c.lead_id
  WHERE a.occurred_at >= c.r_mql AND ${millis('a.occurred_at')} <= ${DEADLINE_MS('c.r_mql')}
)
SELECT 'ACCEPTED' AS stratum, lead_id AS id FROM reach WHERE e_sal >= ${FROM} AND e_sal < ${TO}
UNION ALL
SELECT DISTINCT 'REJECTED' AS stratum, lead_id AS id FROM lead_dispositions
WHERE kind = 'dispositioned' AND occurred_at >= ${FROM} AND occurred_at < ${TO}
UNION ALL
SELECT 'SLA_BREACHED' AS stratum, lead_id AS id FROM clocks WHERE lead_id NOT IN (SELECT lead_id FROM stopped)
${REPORT_SETTINGS}`;

export interface ReviewSampleParams {
  readonly weekOf: string;
  readonly size: number;
  readonly seed: number;
  /** From the definition version the sample runs against. */
  readonly speedToLeadMinutes: number;
  readonly stallDays: StallDays;
}

/** Every stalled opportunity at once: the stalled list's largest page. */
const WHOLE_LIST = 2 ** 32 - 1;

/** DESIGN §4 Weekly review sample: the same arguments over the same facts always give the same sample. */
export async function runReviewSample(ch: ClickHouse, p: ReviewSampleParams): Promise<ReviewSample> {
  const [leadRows, stalled] = await Promise.all([
    ch.query<{ stratum: Exclude<ReviewStratum, 'STALLED'>; id: string }>(REVIEW_LEAD_STRATA_SQL, {
      ...reviewWeek(p.weekOf),
      limitMinutes: p.speedToLeadMinutes,
    }),
    runStalled(ch, { asOf: new Date(p.weekOf).toISOString(), stallDays: p.stallDays, limit: WHOLE_LIST }),
  ]);
  const members: Record<ReviewStratum, string[]> = { ACCEPTED: [], REJECTED: [], SLA_BREACHED: [], STALLED: stalled.items.map((o) => o.id) };
  for (const r of leadRows) members[r.stratum].push(r.id);
  return reviewSample(p.weekOf, p.size, p.seed, members);
}
