/**
 * DESIGN §4 "Breakdowns" and "Attribution" keys, as data: each rule is the ordered list of
 * places a value is taken from, the first that has one wins. The PostgreSQL projection and the
 * reference metrics read the places from state or events (`firstOf`), the ClickHouse builders
 * turn the same list into a `coalesce(...)` over their joins, so the rule is written once.
 */
export type SourceOrigin =
  /** The lead's earliest LeadCaptured. */
  | 'capture'
  /** The lead's earliest touch (a LeadTouched, or a LeadCaptured with a campaign). */
  | 'firstTouch'
  /** The latest CampaignLaunched of the lead's source campaign. */
  | 'sourceCampaign'
  /** An attribution touch itself. */
  | 'touch'
  /** The latest CampaignLaunched of the touch's campaign. */
  | 'touchCampaign';
export type SourceField = 'campaignId' | 'channel';
export type SourceRule = readonly (readonly [SourceOrigin, SourceField])[];

/** A lead's source campaign: the earliest capture's campaign if it has one, else the earliest touch's. */
export const SOURCE_CAMPAIGN_RULE: SourceRule = [
  ['capture', 'campaignId'],
  ['firstTouch', 'campaignId'],
];

/** A lead's CHANNEL: the earliest capture's, else its source campaign's, else the earliest touch's. */
export const LEAD_CHANNEL_RULE: SourceRule = [
  ['capture', 'channel'],
  ['sourceCampaign', 'channel'],
  ['firstTouch', 'channel'],
];

/** A touch's CHANNEL in attribution: the touch's own, else its campaign's. */
export const TOUCH_CHANNEL_RULE: SourceRule = [
  ['touch', 'channel'],
  ['touchCampaign', 'channel'],
];

export type SourceValues = Partial<Record<SourceOrigin, { readonly campaignId?: string; readonly channel?: string } | undefined>>;

/** The value `rule` picks from `values`: the first present, in the rule's order. */
export function firstOf(rule: SourceRule, values: SourceValues): string | undefined {
  for (const [origin, field] of rule) {
    const value = values[origin]?.[field];
    if (value !== undefined && value !== null) return value;
  }
  return undefined;
}
