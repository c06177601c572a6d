import type { EventEnvelope } from '../envelope';

export interface CampaignLaunchedData {
  readonly campaignId: string;
  readonly name: string;
  /** The CHANNEL breakdown falls back to this for leads whose capture names no channel. */
  readonly channel: string;
  readonly budget?: number;
}

export interface CampaignCostRecordedData {
  readonly campaignId: string;
  readonly amount: number;
  readonly periodStart: string;
  readonly periodEnd: string;
}

export type CampaignLaunched = EventEnvelope<'CampaignLaunched', CampaignLaunchedData>;
export type CampaignCostRecorded = EventEnvelope<'CampaignCostRecorded', CampaignCostRecordedData>;

export type CampaignEvent = CampaignLaunched | CampaignCostRecorded;

export type CampaignEventType = CampaignEvent['type'];
