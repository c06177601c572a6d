import { availableParallelism } from 'node:os';
import { wholeNumber } from './whole-number';

/**
 * How much reporting one caller may ask of ClickHouse at once (issue 12): REPORT_CONCURRENCY_PER_KEY
 * reports running per key, REPORT_QUEUE_PER_KEY more waiting (then TOO_MANY_REQUESTS, 429),
 * REPORT_LANE_CONCURRENCY reports at once in each of the cheap and the expensive lane, and
 * REPORT_TIMEOUT_MS for one report (then QUERY_TIMEOUT; ClickHouse cancels the query itself).
 */
export interface ReportLimits {
  readonly concurrencyPerKey: number;
  readonly queuePerKey: number;
  readonly laneConcurrency: number;
  readonly timeoutMs: number;
}

/**
 * Half the cores per lane, so both lanes together run as many reports as there are cores. Each
 * ClickHouse query already uses every core; more reports at once only add their GROUP BY state
 * to memory: on 2 cores and 1M leads, one dashboard load took 3.6 s at peak RSS 1.96 GiB with 1
 * per lane, and 3.9 s at 2.42 GiB with 2 (docs/scaling.md).
 */
const DEFAULT_LANE_CONCURRENCY = Math.max(1, Math.floor(availableParallelism() / 2));

export const DEFAULT_REPORT_LIMITS: ReportLimits = { concurrencyPerKey: 4, queuePerKey: 200, laneConcurrency: DEFAULT_LANE_CONCURRENCY, timeoutMs: 30_000 };

export function checkReportLimits(get: (key: string) => string | undefined, problems: string[]): ReportLimits {
  const whole = (key: string, fallback: number, min: number, what: string): number =>
    wholeNumber(get, problems, key, { fallback, min, rule: `a whole number of ${what} (at least ${min})` });
  const d = DEFAULT_REPORT_LIMITS;
  return {
    concurrencyPerKey: whole('REPORT_CONCURRENCY_PER_KEY', d.concurrencyPerKey, 1, 'reports running at once per key'),
    queuePerKey: whole('REPORT_QUEUE_PER_KEY', d.queuePerKey, 0, 'reports waiting per key'),
    laneConcurrency: whole('REPORT_LANE_CONCURRENCY', d.laneConcurrency, 1, 'reports running at once per lane'),
    timeoutMs: whole('REPORT_TIMEOUT_MS', d.timeoutMs, 1, 'milliseconds'),
  };
}
