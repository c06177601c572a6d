import 'reflect-metadata';
import { REPORT_COSTS } from '../apps/reporting-api/src/common/query-complexity.plugin';
import { sample } from './common';
import { END_MS, WHOLE_HISTORY } from './generate';
import { reportData } from './scenarios/report-data';

/**
 * `npm run bench:costs [-- --scale N]`: times each report once per run over the bench
 * generator's whole history and prints its cost relative to `funnel` (= 10 points), beside the
 * cost REPORT_COSTS holds. A report's cost is its evaluation, so each query asks only
 * `__typename`: the resolver computes the whole report either way.
 */
const { from, to } = WHOLE_HISTORY;
const asOf = new Date(END_MS).toISOString();
const period = `from: "${from}", to: "${to}"`;
const ARGS: Record<string, string> = {
  funnel: period,
  cohorts: `${period}, grain: MONTH, target: WON, asOf: "${asOf}"`,
  velocity: `${period}, fromStage: MQL, toStage: WON`,
  attribution: `${period}, model: W_SHAPED, milestone: WON`,
  slaCompliance: `${period}, asOf: "${asOf}"`,
  stalledOpportunities: `asOf: "${asOf}"`,
  reconciliation: period,
  pipelineVelocity: `asOf: "${asOf}"`,
  campaignPerformance: period,
  leadQualityVsHandling: `${period}, asOf: "${asOf}"`,
  scoreCalibration: period,
  definitionCompliance: period,
  compareDefinitions: `${period}, a: 1, b: 1`,
  routingCoverage: `${period}, asOf: "${asOf}"`,
  routingCoverageLeads: `${period}, asOf: "${asOf}", list: UNASSIGNED`,
  activityVsMovement: period,
  conversionChange: `${period}, baseFrom: "${from}", baseTo: "${to}", by: CHANNEL, target: WON`,
  reviewSample: `weekOf: "${asOf}"`,
};
/** Needs a draft to exist; it evaluates what compareDefinitions does. */
const NOT_TIMED = ['compareDefinitionDraft'];

async function main(): Promise<void> {
  process.env.LOG_LEVEL ??= 'warn';
  const scaleAt = process.argv.indexOf('--scale');
  const scale = scaleAt > 0 ? Number(process.argv[scaleAt + 1]) : 0.1;
  const runs = 3;
  const data = await reportData(scale);
  try {
    const ms: Record<string, number> = {};
    for (const [name, args] of Object.entries(ARGS)) {
      const query = `{ ${name}(${args}) { __typename } }`;
      const { p50 } = await sample(runs, async () => {
        const res = await fetch(`${data.app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
        const body = (await res.json()) as { errors?: unknown[] };
        if (body.errors) throw new Error(`${name}: ${JSON.stringify(body.errors).slice(0, 400)}`);
      });
      ms[name] = p50;
    }
    console.log(`scale ${scale}, p50 of ${runs} runs after a warm-up; cost = max(10, round(10 x ms / funnel ms))\n`);
    console.log('report'.padEnd(24) + 'ms'.padStart(9) + 'measured'.padStart(10) + 'REPORT_COSTS'.padStart(14));
    for (const [name, t] of Object.entries(ms)) {
      const measured = Math.max(10, Math.round((10 * t) / ms.funnel));
      console.log(name.padEnd(24) + t.toFixed(0).padStart(9) + String(measured).padStart(10) + String(REPORT_COSTS[name as keyof typeof REPORT_COSTS]).padStart(14));
    }
    console.log(`\nnot timed: ${NOT_TIMED.join(', ')}`);
  } finally {
    await data.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
