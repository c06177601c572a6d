import { runAttribution, runFunnel } from '@funnel/reporting';
import { sample, type ScenarioResult, TARGETS } from '../common';
import { LAST_30_DAYS, WHOLE_HISTORY } from '../generate';
import { attributionParams, funnelParams } from '../reference';
import type { ReportData } from './report-data';

/**
 * Does cost follow the question? The same reports (attribution W_SHAPED WON and the funnel by
 * CAMPAIGN) for the last 30 days and for the whole three-year history: time ratio (target <= 0.2).
 * The figure is the worse of the two reports.
 */
export async function growthScenario(data: ReportData, runs: number): Promise<ScenarioResult> {
  const ch = data.app.runtime.clickhouse;
  const time = async (run: (p: typeof WHOLE_HISTORY) => Promise<unknown>) => {
    const recent = await sample(runs, () => run(LAST_30_DAYS));
    const whole = await sample(runs, () => run(WHOLE_HISTORY));
    return { last30DaysMs: recent.p50, wholeHistoryMs: whole.p50, ratio: recent.p50 / whole.p50 };
  };
  const attribution = await time((p) => runAttribution(ch, attributionParams(p)));
  const funnel = await time((p) => runFunnel(ch, funnelParams(p)));
  const worse = attribution.ratio >= funnel.ratio ? attribution : funnel;
  return {
    value: worse.last30DaysMs,
    unit: 'ms (p50, last 30 days)',
    reference: worse.wholeHistoryMs,
    ratio: worse.ratio,
    target: TARGETS.growth,
    pass: attribution.ratio <= 0.2 && funnel.ratio <= 0.2,
    attribution,
    funnel,
  };
}
