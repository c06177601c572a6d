import type { ClickHouse } from '@funnel/clickhouse';
import type { LeadEvidence, StageEntryEvidence } from '@funnel/domain';
import { leadReachCtes, REPORT_SETTINGS } from '../lead-reach.sql';

/**
 * The evidence behind the definition's entry criteria, per (lead, stage, at): the latest score,
 * the latest value of each BANT field and whether any activity was logged, counting events
 * `cmp` the moment `at` ('<=' at a stage entry, '<' at the end of a half-open period).
 */
function evidenceSql(subjectsCte: string, cmp: '<=' | '<'): string {
  const upTo = (col: string) => `${col} ${cmp} e.at`;
  const latest = (col: string) =>
    `argMaxIf(q.${col}, (q.occurred_at, q.event_id), q.${col} IS NOT NULL AND ${upTo('q.occurred_at')}) AS ${col}_v`;
  return `WITH ${subjectsCte},
sc AS (
  SELECT e.lead_id AS lead_id, e.stage AS stage,
         argMaxIf(s.score, (s.occurred_at, s.event_id), ${upTo('s.occurred_at')}) AS score_v,
         countIf(${upTo('s.occurred_at')}) > 0 AS has_score
  FROM subjects AS e INNER JOIN lead_scores AS s ON s.lead_id = e.lead_id
  GROUP BY e.lead_id, e.stage
),
qa AS (
  SELECT e.lead_id AS lead_id, e.stage AS stage, ${latest('budget')}, ${latest('authority')}, ${latest('need')}, ${latest('timeline_days')}
  FROM subjects AS e INNER JOIN lead_qualifications AS q ON q.lead_id = e.lead_id
  GROUP BY e.lead_id, e.stage
),
ac AS (
  SELECT e.lead_id AS lead_id, e.stage AS stage, countIf(${upTo('a.occurred_at')}) > 0 AS has_activity
  FROM subjects AS e INNER JOIN lead_activities AS a ON a.lead_id = e.lead_id
  GROUP BY e.lead_id, e.stage
)
SELECT e.lead_id AS lead_id, e.stage AS stage, ifNull(sc.has_score, 0) AS has_score, sc.score_v AS score,
       qa.budget_v AS budget, qa.authority_v AS authority, qa.need_v AS need, qa.timeline_days_v AS timeline_days,
       ifNull(ac.has_activity, 0) AS has_activity
FROM subjects AS e
LEFT JOIN sc ON sc.lead_id = e.lead_id AND sc.stage = e.stage
LEFT JOIN qa ON qa.lead_id = e.lead_id AND qa.stage = e.stage
LEFT JOIN ac ON ac.lead_id = e.lead_id AND ac.stage = e.stage
ORDER BY lead_id, stage
${REPORT_SETTINGS}`;
}

/** First entries to MQL, SAL, SQL in [{from}, {to}), with the evidence at each entry. */
export const ENTRY_EVIDENCE_SQL = evidenceSql(
  `subjects AS (
  SELECT lead_id, stage, min(occurred_at) AS at FROM lead_stage_entries GROUP BY lead_id, stage
  HAVING at >= {from:DateTime64(3, 'UTC')} AND at < {to:DateTime64(3, 'UTC')}
)`,
  '<=',
);

/** Leads that reached CAPTURED in [{from}, {to}), with their evidence at the end of the period. */
export const CAPTURED_EVIDENCE_SQL = evidenceSql(
  `${leadReachCtes()},
subjects AS (
  SELECT lead_id, 'CAPTURED' AS stage, {to:DateTime64(3, 'UTC')} AS at FROM reach
  WHERE r_captured >= {from:DateTime64(3, 'UTC')} AND r_captured < {to:DateTime64(3, 'UTC')}
)`,
  '<',
);

interface EvidenceRow {
  lead_id: string;
  stage: string;
  has_score: number;
  score: number | null;
  budget: number | null;
  authority: number | null;
  need: number | null;
  timeline_days: number | null;
  has_activity: number;
}

function toEvidence(r: EvidenceRow): LeadEvidence {
  const e: { -readonly [K in keyof LeadEvidence]: LeadEvidence[K] } = { leadId: r.lead_id, hasActivity: Number(r.has_activity) === 1 };
  if (Number(r.has_score) === 1 && r.score !== null) e.score = r.score;
  if (r.budget !== null) e.budget = Number(r.budget) === 1;
  if (r.authority !== null) e.authority = Number(r.authority) === 1;
  if (r.need !== null) e.need = Number(r.need) === 1;
  if (r.timeline_days !== null) e.timelineDays = r.timeline_days;
  return e;
}

export async function runEntryEvidence(ch: ClickHouse, p: { from: string; to: string }): Promise<StageEntryEvidence[]> {
  const rows = await ch.query<EvidenceRow>(ENTRY_EVIDENCE_SQL, p);
  return rows.map((r) => ({ stage: r.stage as StageEntryEvidence['stage'], evidence: toEvidence(r) }));
}

export async function runCapturedEvidence(ch: ClickHouse, p: { from: string; to: string }): Promise<LeadEvidence[]> {
  return (await ch.query<EvidenceRow>(CAPTURED_EVIDENCE_SQL, p)).map(toEvidence);
}
