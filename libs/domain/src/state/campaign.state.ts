import type { CampaignEvent } from '@funnel/contracts';
import { earliest, latest, type Stamp, type Stamped } from './stamp';

/** Campaign master data; its costs are facts keyed by event id, summed by the read side. */
export interface CampaignState {
  readonly campaignId: string;
  readonly firstEvent: Stamp;
  readonly launch?: Stamped<{ name: string; channel: string; budget?: number }>;
}

export function evolveCampaign(state: CampaignState | undefined, event: CampaignEvent): CampaignState {
  const stamp: Stamp = { at: event.occurredAt, id: event.id };
  const s: CampaignState = state
    ? { ...state, firstEvent: earliest(state.firstEvent, stamp) }
    : { campaignId: event.data.campaignId, firstEvent: stamp };

  switch (event.type) {
    case 'CampaignLaunched':
      // A re-launch event corrects name/channel/budget: the latest one describes the campaign.
      return {
        ...s,
        launch: latest(s.launch, {
          ...stamp,
          value: { name: event.data.name, channel: event.data.channel, budget: event.data.budget },
        }),
      };
    case 'CampaignCostRecorded':
      return s;
    default: {
      const unreachable: never = event;
      throw new Error(`Unhandled campaign event ${(unreachable as { type: string }).type}`);
    }
  }
}
