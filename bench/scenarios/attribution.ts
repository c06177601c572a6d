import { runAttribution } from '@funnel/reporting';
import { ratioOf, sample, timed, type ScenarioResult, TARGETS } from '../common';
import { WHOLE_HISTORY } from '../generate';
import { loadPostgres } from '../postgres';
import { attributionDiff, attributionParams, referenceAttribution, reportParity } from '../reference';
import type { ReportData } from './report-data';

/**
 * attribution(W_SHAPED, WON) by CAMPAIGN over the whole history: the product's runner beside the
 * hand-written ClickHouse query (same engine, same tables) and the hand-written PostgreSQL query
 * on the same facts. Targets: p50 <= 1.5 s, <= 1.3x the hand-written query, >= 10x faster than PostgreSQL.
 */
export async function attributionScenario(data: ReportData, runs: number, pgRuns: number): Promise<ScenarioResult> {
  const ch = data.app.runtime.clickhouse;
  const product = await sample(runs, () => runAttribution(ch, attributionParams(WHOLE_HISTORY)));
  const reference = await sample(runs, () => referenceAttribution(ch, WHOLE_HISTORY));
  const sameAsReference = reportParity('attribution (ClickHouse reference)', attributionDiff(product.result, reference.result));

  console.log('  loading the facts into PostgreSQL');
  const pg = await loadPostgres(ch);
  let postgres: { ms: number[]; same: boolean };
  try {
    const ms: number[] = [];
    let last = await pg.attribution(WHOLE_HISTORY);
    // At scale one run is minutes: the first run is the timed one there.
    if (pgRuns > 1) ms.push(...(await sample(pgRuns - 1, () => pg.attribution(WHOLE_HISTORY))).runsMs);
    else ms.push((await timed(async () => (last = await pg.attribution(WHOLE_HISTORY)))).ms);
    postgres = { ms, same: reportParity('attribution (PostgreSQL reference)', attributionDiff(product.result, last)) };
  } finally {
    await pg.close();
  }
  const postgresMs = Math.min(...postgres.ms);
  const value = product.p50;
  const ratio = ratioOf(value, reference.p50);
  const postgresSpeedup = postgresMs / value;
  return {
    value,
    unit: 'ms (p50)',
    reference: reference.p50,
    ratio,
    target: TARGETS.attribution,
    pass: value <= 1500 && ratio !== null && ratio <= 1.3 && postgresSpeedup >= 10 && sameAsReference && postgres.same,
    p95: product.p95,
    referenceP95: reference.p95,
    postgresMs,
    postgresSpeedup,
    postgresLoadMs: pg.loadMs,
    postgresRows: pg.rows,
    sameAsReference,
    sameAsPostgres: postgres.same,
    conversions: product.result.conversions,
    runsMs: product.runsMs,
    referenceRunsMs: reference.runsMs,
  };
}
