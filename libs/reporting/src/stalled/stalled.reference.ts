import type { FunnelEvent } from '@funnel/contracts';
import {
  amountAt,
  buildFunnelModel,
  createdOf,
  days,
  isOpenAt,
  toInstant,
  type OpportunityFacts,
} from '@funnel/domain';
import { type StallDays, type StalledOpportunity, type StallReason } from './stalled.rows';

/** Reference implementation of DESIGN §4 "Stalled opportunities". */

export interface StalledOptions {
  readonly asOf: string;
  readonly stallDays: StallDays;
}

export function stallDaysFor(stallDays: StallDays, stage: string | null): number {
  // hasOwn, so a stage named like an Object.prototype member does not pick up a function.
  return stage !== null && Object.hasOwn(stallDays.byStage, stage) ? stallDays.byStage[stage] : stallDays.default;
}

/** Open opportunities at `asOf` with at least one reason, by daysInStage descending then id. */
export function stalledOpportunities(events: readonly FunnelEvent[], opts: StalledOptions): StalledOpportunity[] {
  const asOf = toInstant(opts.asOf);
  const rows: StalledOpportunity[] = [];
  for (const o of buildFunnelModel(events).opportunities.values()) {
    if (!isOpenAt(o, asOf)) continue;
    const row = stalledAt(o, asOf, opts.stallDays);
    if (row.reasons.length > 0) rows.push(row);
  }
  return rows.sort((a, b) => b.daysInStage - a.daysInStage || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** One opportunity open at `asOf`, with its reasons (possibly none). */
function stalledAt(o: OpportunityFacts, asOf: string, stallDays: StallDays): StalledOpportunity {
  const created = createdOf(o) as FunnelEvent & { type: 'OpportunityCreated' };
  let stage = created.data.stage ?? null;
  let stageSince = created.occurredAt;
  let nextStepDueAt: string | undefined;
  let acknowledged = false;
  // o.events is in (occurredAt, id) order, so the last one seen of each kind is the latest.
  for (const e of o.events) {
    if (e.occurredAt > asOf) break;
    if (e.type === 'OpportunityStageChanged') {
      stage = e.data.stage;
      // Even a change to the same stage restarts the clock; one before creation does not.
      if (e.occurredAt > stageSince) stageSince = e.occurredAt;
    }
    if (e.type === 'OpportunityNextStepSet') nextStepDueAt = e.data.dueAt;
    // Any acknowledgement still running at T silences the stall, not only the latest one.
    if (e.type === 'OpportunityStallAcknowledged' && e.data.resumeBy > asOf) acknowledged = true;
  }
  const daysInStage = days(stageSince, asOf);
  const reasons: StallReason[] = [];
  if (daysInStage > stallDaysFor(stallDays, stage) && !acknowledged) reasons.push('STALLED_IN_STAGE');
  if (nextStepDueAt !== undefined && nextStepDueAt < asOf) reasons.push('NEXT_STEP_OVERDUE');
  if (nextStepDueAt === undefined) reasons.push('NO_NEXT_STEP');
  return {
    id: o.opportunityId,
    stage,
    amount: amountAt(o, asOf) ?? null,
    ownerId: created.data.ownerId ?? null,
    daysInStage,
    reasons,
  };
}
