import { runFunnel } from '@funnel/reporting';
import { ratioOf, sample, type ScenarioResult, TARGETS } from '../common';
import { WHOLE_HISTORY } from '../generate';
import { funnelDiff, funnelParams, referenceFunnel, reportParity } from '../reference';
import type { ReportData } from './report-data';

/** funnel by CAMPAIGN over the whole history beside the hand-written query. Targets: p50 <= 500 ms, <= 1.3x. */
export async function funnelScenario(data: ReportData, runs: number): Promise<ScenarioResult> {
  const ch = data.app.runtime.clickhouse;
  const product = await sample(runs, () => runFunnel(ch, funnelParams(WHOLE_HISTORY)));
  const reference = await sample(runs, () => referenceFunnel(ch, WHOLE_HISTORY));
  const same = reportParity('funnel (ClickHouse reference)', funnelDiff(product.result, reference.result));
  const ratio = ratioOf(product.p50, reference.p50);
  return {
    value: product.p50,
    unit: 'ms (p50)',
    reference: reference.p50,
    ratio,
    target: TARGETS.funnel,
    pass: product.p50 <= 500 && ratio !== null && ratio <= 1.3 && same,
    p95: product.p95,
    referenceP95: reference.p95,
    sameAsReference: same,
    groups: product.result.length,
    runsMs: product.runsMs,
    referenceRunsMs: reference.runsMs,
  };
}
