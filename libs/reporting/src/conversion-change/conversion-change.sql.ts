import type { ClickHouse } from '@funnel/clickhouse';
import type { Dimension, FunnelStage } from '@funnel/domain';
import { runFunnel } from '../funnel/funnel.sql';
import { conversionChange, type ConversionChange } from './conversion-change.rows';

export interface ConversionChangeParams {
  readonly baseFrom: string;
  readonly baseTo: string;
  readonly from: string;
  readonly to: string;
  readonly target: FunnelStage;
  readonly anchor: FunnelStage;
  readonly windowDays?: number;
  readonly by: Dimension;
}

/**
 * DESIGN §4 Conversion change. Both cohorts are Funnel cohorts, so they come from the Funnel SQL
 * builder (one query per cohort, broken down by `by`); the decomposition is shaped in the rows.
 */
export async function runConversionChange(ch: ClickHouse, p: ConversionChangeParams): Promise<ConversionChange> {
  const funnel = { anchor: p.anchor, windowDays: p.windowDays, breakdown: p.by };
  const [base, current] = await Promise.all([
    runFunnel(ch, { ...funnel, from: p.baseFrom, to: p.baseTo }),
    runFunnel(ch, { ...funnel, from: p.from, to: p.to }),
  ]);
  return conversionChange(base, current, p.anchor, p.target);
}
