import type { FunnelEvent } from '@funnel/contracts';
import { funnelReport } from '../funnel/funnel.reference';
import { conversionChange, type ConversionChange } from './conversion-change.rows';
import type { ConversionChangeParams } from './conversion-change.sql';

/** The oracle: both cohorts from the Funnel reference, shaped by the same decomposition. */
export function conversionChangeReport(events: readonly FunnelEvent[], p: ConversionChangeParams): ConversionChange {
  const funnel = { anchor: p.anchor, windowDays: p.windowDays, breakdown: p.by };
  return conversionChange(
    funnelReport(events, { ...funnel, from: p.baseFrom, to: p.baseTo }),
    funnelReport(events, { ...funnel, from: p.from, to: p.to }),
    p.anchor,
    p.target,
  );
}
