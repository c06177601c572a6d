import type { OpportunityEvent } from '@funnel/contracts';
import { earliest, latest, type Stamp, type Stamped } from './stamp';

export type OpportunityStatus = 'open' | 'won' | 'lost';

export interface OpportunityCreation {
  readonly accountId?: string;
  readonly ownerId?: string;
  readonly amount: number;
  readonly stage?: string;
  readonly leadIds: readonly string[];
}

/** Current state of one opportunity, built only from its own events (see stamp.ts). */
export interface OpportunityState {
  readonly opportunityId: string;
  readonly firstEvent: Stamp;
  /** Absent until an OpportunityCreated arrives: such an opportunity does not count yet. */
  readonly created?: Stamped<OpportunityCreation>;
  readonly stageChange?: Stamped<string>;
  readonly amount?: Stamped<number>;
  /** Latest won/lost/reopened event; none means open. */
  readonly status?: Stamped<{ status: OpportunityStatus; reason?: string }>;
  readonly firstWon?: Stamped<{ amount?: number }>;
  readonly nextStep?: Stamped<{ nextStep: string; dueAt: string }>;
  readonly stallAck?: Stamped<{ reason: string; resumeBy: string }>;
}

export function evolveOpportunity(state: OpportunityState | undefined, event: OpportunityEvent): OpportunityState {
  const stamp: Stamp = { at: event.occurredAt, id: event.id };
  const s: OpportunityState = state
    ? { ...state, firstEvent: earliest(state.firstEvent, stamp) }
    : { opportunityId: event.data.opportunityId, firstEvent: stamp };
  const at = <T>(value: T): Stamped<T> => ({ ...stamp, value });

  switch (event.type) {
    case 'OpportunityCreated': {
      const d = event.data;
      return {
        ...s,
        created: earliest(
          s.created,
          at<OpportunityCreation>({
            accountId: d.accountId,
            ownerId: d.ownerId,
            amount: d.amount,
            stage: d.stage,
            leadIds: d.leadIds ?? [],
          }),
        ),
        amount: latest(s.amount, at(d.amount)),
      };
    }
    case 'OpportunityStageChanged':
      return { ...s, stageChange: latest(s.stageChange, at(event.data.stage)) };
    case 'OpportunityAmountChanged':
      return { ...s, amount: latest(s.amount, at(event.data.amount)) };
    case 'OpportunityNextStepSet':
      return { ...s, nextStep: latest(s.nextStep, at({ nextStep: event.data.nextStep, dueAt: event.data.dueAt })) };
    case 'OpportunityStallAcknowledged':
      return { ...s, stallAck: latest(s.stallAck, at({ reason: event.data.reason, resumeBy: event.data.resumeBy })) };
    case 'OpportunityWon':
      return {
        ...s,
        status: latest(s.status, at({ status: 'won' as const })),
        firstWon: earliest(s.firstWon, at({ amount: event.data.amount })),
        amount: event.data.amount === undefined ? s.amount : latest(s.amount, at(event.data.amount)),
      };
    case 'OpportunityLost':
      return { ...s, status: latest(s.status, at({ status: 'lost' as const, reason: event.data.reason })) };
    case 'OpportunityReopened':
      return { ...s, status: latest(s.status, at({ status: 'open' as const })) };
    default: {
      const unreachable: never = event;
      throw new Error(`Unhandled opportunity event ${(unreachable as { type: string }).type}`);
    }
  }
}

/** Stage now: the latest stage change, else the stage given at creation. */
export function currentOpportunityStage(s: OpportunityState): string | undefined {
  return s.stageChange?.value ?? s.created?.value.stage;
}
