import type { LeadAttributes, LeadEvent, LeadStage } from '@funnel/contracts';
import { earliest, latest, type Stamp, type Stamped } from './stamp';

export interface LeadCapture {
  readonly accountId?: string;
  readonly campaignId?: string;
  readonly channel?: string;
  readonly ownerId?: string;
  readonly attributes: LeadAttributes;
}

export interface LeadTouchRef {
  readonly campaignId?: string;
  readonly channel?: string;
}

/** Current state of one lead, built only from that lead's own events (see stamp.ts). */
export interface LeadState {
  readonly leadId: string;
  readonly firstEvent: Stamp;
  readonly capture?: Stamped<LeadCapture>;
  /** Earliest touch: a LeadTouched, or a LeadCaptured that has a campaign. */
  readonly firstTouch?: Stamped<LeadTouchRef>;
  readonly stageEntries: Partial<Record<LeadStage, Stamp>>;
  readonly currentStage?: Stamped<LeadStage>;
  readonly score?: Stamped<{ score: number; fit?: number; engagement?: number }>;
  readonly budget?: Stamped<boolean>;
  readonly authority?: Stamped<boolean>;
  readonly need?: Stamped<boolean>;
  readonly timelineDays?: Stamped<number>;
  readonly owner?: Stamped<{ ownerId: string; queue?: string; rule?: string }>;
  readonly firstActivity?: Stamp;
  readonly lastActivity?: Stamp;
  readonly disposition?: Stamped<{ disposition: string; note?: string }>;
  readonly recycled?: Stamped<{ reason?: string }>;
  readonly accountId?: Stamped<string>;
}

export function evolveLead(state: LeadState | undefined, event: LeadEvent): LeadState {
  const stamp: Stamp = { at: event.occurredAt, id: event.id };
  const s: LeadState = state
    ? { ...state, firstEvent: earliest(state.firstEvent, stamp) }
    : { leadId: event.data.leadId, firstEvent: stamp, stageEntries: {} };
  const at = <T>(value: T): Stamped<T> => ({ ...stamp, value });

  switch (event.type) {
    case 'LeadCaptured': {
      const d = event.data;
      const capture = at<LeadCapture>({
        accountId: d.accountId,
        campaignId: d.campaignId,
        channel: d.channel,
        ownerId: d.ownerId,
        attributes: { ...(d.attributes ?? {}) },
      });
      return {
        ...s,
        capture: earliest(s.capture, capture),
        firstTouch: d.campaignId
          ? earliest(s.firstTouch, at<LeadTouchRef>({ campaignId: d.campaignId, channel: d.channel }))
          : s.firstTouch,
        accountId: d.accountId ? latest(s.accountId, at(d.accountId)) : s.accountId,
      };
    }
    case 'LeadTouched':
      return {
        ...s,
        firstTouch: earliest(s.firstTouch, at<LeadTouchRef>({ campaignId: event.data.campaignId, channel: event.data.channel })),
      };
    case 'LeadScored':
      return {
        ...s,
        score: latest(s.score, at({ score: event.data.score, fit: event.data.fit, engagement: event.data.engagement })),
      };
    case 'LeadStageChanged':
      return {
        ...s,
        stageEntries: { ...s.stageEntries, [event.data.stage]: earliest(s.stageEntries[event.data.stage], stamp) },
        currentStage: latest(s.currentStage, at(event.data.stage)),
      };
    case 'LeadQualificationUpdated': {
      // Each BANT field is its own register: an update that omits a field leaves it as it was.
      const d = event.data;
      return {
        ...s,
        budget: d.budget === undefined ? s.budget : latest(s.budget, at(d.budget)),
        authority: d.authority === undefined ? s.authority : latest(s.authority, at(d.authority)),
        need: d.need === undefined ? s.need : latest(s.need, at(d.need)),
        timelineDays: d.timelineDays === undefined ? s.timelineDays : latest(s.timelineDays, at(d.timelineDays)),
      };
    }
    case 'LeadAssigned':
      return {
        ...s,
        owner: latest(s.owner, at({ ownerId: event.data.ownerId, queue: event.data.queue, rule: event.data.rule })),
      };
    case 'LeadActivityLogged':
      return { ...s, firstActivity: earliest(s.firstActivity, stamp), lastActivity: latest(s.lastActivity, stamp) };
    case 'LeadDispositioned':
      return {
        ...s,
        disposition: latest(s.disposition, at({ disposition: event.data.disposition, note: event.data.note })),
      };
    case 'LeadRecycled':
      return { ...s, recycled: latest(s.recycled, at({ reason: event.data.reason })) };
    case 'LeadConverted':
      // The link itself lives in the lead-opportunity link set; only the account is lead state.
      return { ...s, accountId: event.data.accountId ? latest(s.accountId, at(event.data.accountId)) : s.accountId };
    default: {
      const unreachable: never = event;
      throw new Error(`Unhandled lead event ${(unreachable as { type: string }).type}`);
    }
  }
}
