import type { ClickHouse } from '@funnel/clickhouse';
import { DEFAULT_SCORE_BANDS, checkScoreBands } from '@funnel/domain';
import { scoreBandRows, type ScoreBandRow } from './score-calibration.rows';
import { leadReachCtes, REPORT_SETTINGS } from '../lead-reach.sql';

/**
 * MQLs of [{from}, {to}) per score band at MQL entry (the latest LeadScored at or before the
 * MQL reach time): band = how many lower bounds of {bands} are <= score (0 = below every band,
 * -1 = never scored), with how many reached SQL and WON at any time.
 */
export const SCORE_CALIBRATION_SQL = `WITH ${leadReachCtes()},
cohort AS (
  SELECT lead_id, r_mql, r_sql IS NOT NULL AS to_sql, r_won IS NOT NULL AS to_won FROM reach
  WHERE r_mql >= {from:DateTime64(3, 'UTC')} AND r_mql < {to:DateTime64(3, 'UTC')}
),
scored AS (
  SELECT c.lead_id AS lead_id, argMaxIf(s.score, (s.occurred_at, s.event_id), s.occurred_at <= c.r_mql) AS score_at_mql,
         countIf(s.occurred_at <= c.r_mql) > 0 AS has_score
  FROM cohort AS c INNER JOIN lead_scores AS s ON s.lead_id = c.lead_id
  GROUP BY c.lead_id
)
SELECT if(ifNull(sc.has_score, 0), arrayCount(b -> b <= sc.score_at_mql, {bands:Array(Float64)}), -1) AS band,
       count() AS n, countIf(c.to_sql) AS to_sql, countIf(c.to_won) AS to_won
FROM cohort AS c LEFT JOIN scored AS sc ON sc.lead_id = c.lead_id
GROUP BY band
${REPORT_SETTINGS}`;

export async function runScoreCalibration(
  ch: ClickHouse,
  p: { from: string; to: string; bands?: readonly number[] },
): Promise<ScoreBandRow[]> {
  const bands = p.bands ?? DEFAULT_SCORE_BANDS;
  checkScoreBands(bands);
  const rows = await ch.query<{ band: number; n: string; to_sql: string; to_won: string }>(SCORE_CALIBRATION_SQL, {
    from: p.from,
    to: p.to,
    bands,
  });
  const outcomes = (band: number) => {
    const r = rows.find((x) => Number(x.band) === band);
    return r ? { count: Number(r.n), toSql: Number(r.to_sql), toWon: Number(r.to_won) } : { count: 0, toSql: 0, toWon: 0 };
  };
  return scoreBandRows(bands, bands.map((_, i) => outcomes(i + 1)), outcomes(-1));
}
