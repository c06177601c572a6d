import type { FunnelEvent } from '@funnel/contracts';
import {
  DAY_MS,
  DEFAULT_TRAILING_DAYS,
  buildFunnelModel,
  createdOf,
  days,
  isOpenAt,
  mean,
  ms,
  statusEventAt,
  toInstant,
  wonAmount,
} from '@funnel/domain';
import { pipelineVelocityOf, type PipelineVelocity } from './pipeline-velocity.rows';

/** Reference implementation of DESIGN §4 "Pipeline velocity". */

export interface PipelineVelocityOptions {
  readonly asOf: string;
  readonly trailingDays?: number;
}

export function pipelineVelocity(events: readonly FunnelEvent[], opts: PipelineVelocityOptions): PipelineVelocity {
  const asOf = toInstant(opts.asOf);
  const windowStart = ms(asOf) - (opts.trailingDays ?? DEFAULT_TRAILING_DAYS) * DAY_MS;
  let openOpportunities = 0;
  let lost = 0;
  const wonAmounts: number[] = [];
  const cycleDays: number[] = [];
  for (const o of buildFunnelModel(events).opportunities.values()) {
    const created = createdOf(o);
    if (!created || created.occurredAt > asOf) continue;
    if (isOpenAt(o, asOf)) openOpportunities++;
    // Closed at T, by an event in (T − D, T]: the win that counts is the one that set the status,
    // so a deal reopened and won again is measured to its latest win.
    const status = statusEventAt(o, asOf);
    if (!status || ms(status.occurredAt) <= windowStart) continue;
    if (status.type === 'OpportunityLost') lost++;
    if (status.type === 'OpportunityWon') {
      wonAmounts.push(wonAmount(o, status));
      cycleDays.push(days(created.occurredAt, status.occurredAt));
    }
  }
  return pipelineVelocityOf({
    openOpportunities,
    won: wonAmounts.length,
    lost,
    avgWonAmount: mean(wonAmounts),
    avgCycleDays: mean(cycleDays),
  });
}

