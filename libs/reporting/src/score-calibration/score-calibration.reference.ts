import type { FunnelEvent } from '@funnel/contracts';
import {
  DEFAULT_SCORE_BANDS,
  buildFunnelModel,
  checkScoreBands,
  cohortOf,
  outcomes,
  type CohortLead,
} from '@funnel/domain';
import { scoreBandRows, type ScoreBandRow } from './score-calibration.rows';

export interface ScoreCalibrationOptions {
  readonly from: string;
  readonly to: string;
  /** Strictly ascending lower bounds of the score bands. */
  readonly bands?: readonly number[];
}

/**
 * Does the MQL score predict outcomes? The period's MQLs, banded by their score at MQL entry (the
 * latest LeadScored at or before the MQL reach time), with each band's SQL and WON rates and 95%
 * Wilson intervals, which stay inside [0, 1] and are honest for the small bands calibration has.
 * Every band is listed, empty ones with null rates; "(none)" comes last and only when non-empty.
 * A score below the first lower bound belongs to no band: choosing bands that start above 0 opts out.
 */
export function scoreCalibration(events: readonly FunnelEvent[], opts: ScoreCalibrationOptions): ScoreBandRow[] {
  const bands = opts.bands ?? DEFAULT_SCORE_BANDS;
  checkScoreBands(bands);
  const model = buildFunnelModel(events);
  const members: CohortLead[][] = bands.map(() => []);
  const unscored: CohortLead[] = [];
  for (const c of cohortOf(model, 'MQL', opts.from, opts.to)) {
    const score = scoreAtMql(c);
    if (score === undefined) unscored.push(c);
    else {
      // lower <= score < next lower: the last band whose lower bound is <= score.
      let i = bands.length - 1;
      while (i >= 0 && bands[i] > score) i--;
      if (i >= 0) members[i].push(c);
    }
  }
  return scoreBandRows(bands, members.map(outcomes), outcomes(unscored));
}

/** The latest LeadScored at or before the lead's MQL reach time (entered or inferred). */
export function scoreAtMql({ lead, reach }: CohortLead): number | undefined {
  const mqlAt = reach.reachedAt.MQL;
  let score: number | undefined;
  for (const e of lead.events) {
    if (mqlAt === undefined || e.occurredAt > mqlAt) break;
    if (e.type === 'LeadScored') score = e.data.score;
  }
  return score;
}

