import type { EventEnvelope } from '../envelope';

export const TOUCH_TYPES = [
  'ad_click',
  'form_fill',
  'email_click',
  'web_visit',
  'webinar',
  'event',
  'content_download',
  'other',
] as const;
export type TouchType = (typeof TOUCH_TYPES)[number];

/** The stages a lead enters by `LeadStageChanged`; CAPTURED, OPPORTUNITY and WON come from other events. */
export const LEAD_STAGES = ['MQL', 'SAL', 'SQL'] as const;
export type LeadStage = (typeof LEAD_STAGES)[number];

export const ACTIVITY_TYPES = ['call', 'email', 'meeting', 'task', 'other'] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

export const DISPOSITIONS = ['no_fit', 'no_timing', 'no_contact', 'competitor', 'duplicate', 'other'] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

/** Firmographics captured with the lead; they feed the SEGMENT, REGION and PRODUCT breakdowns. */
export interface LeadAttributes {
  readonly segment?: string;
  readonly region?: string;
  readonly product?: string;
  readonly industry?: string;
  readonly companySize?: string;
}

/**
 * Personal data of a lead (DESIGN §8), as a client sends it. Ingest seals it before the log:
 * the log, and everything read from it, carries a SealedContact instead.
 */
export interface LeadContact {
  readonly email?: string;
  readonly name?: string;
  readonly phone?: string;
}

/**
 * A LeadContact encrypted with its lead's data key (AES-256-GCM, see
 * libs/persistence/src/personal-data): what the log holds in place of the plaintext.
 */
export interface SealedContact {
  readonly sealed: string;
}

export const isSealedContact = (contact: LeadContact | SealedContact | undefined): contact is SealedContact =>
  contact !== undefined && typeof (contact as SealedContact).sealed === 'string';

export interface LeadCapturedData {
  readonly leadId: string;
  readonly accountId?: string;
  /** When set, the capture also counts as a `form_fill` touch of this campaign. */
  readonly campaignId?: string;
  readonly channel?: string;
  readonly ownerId?: string;
  readonly attributes?: LeadAttributes;
  /** Plaintext on the wire; sealed in the log (ingest encrypts it before appending). */
  readonly contact?: LeadContact | SealedContact;
}

export interface LeadTouchedData {
  readonly leadId: string;
  readonly campaignId?: string;
  readonly channel: string;
  readonly touchType: TouchType;
}

export interface LeadScoredData {
  readonly leadId: string;
  /** 0–100; compared with the funnel definition's MQL `minScore`. */
  readonly score: number;
  readonly fit?: number;
  readonly engagement?: number;
}

export interface LeadStageChangedData {
  readonly leadId: string;
  readonly stage: LeadStage;
}

export interface LeadQualificationUpdatedData {
  readonly leadId: string;
  readonly budget?: boolean;
  readonly authority?: boolean;
  readonly need?: boolean;
  readonly timelineDays?: number;
}

export interface LeadAssignedData {
  readonly leadId: string;
  readonly ownerId: string;
  readonly queue?: string;
  readonly rule?: string;
}

export interface LeadActivityLoggedData {
  readonly leadId: string;
  readonly ownerId?: string;
  readonly activityType: ActivityType;
}

export interface LeadDispositionedData {
  readonly leadId: string;
  readonly disposition: Disposition;
  readonly note?: string;
}

export interface LeadRecycledData {
  readonly leadId: string;
  readonly reason?: string;
}

export interface LeadConvertedData {
  readonly leadId: string;
  readonly opportunityId: string;
  readonly accountId?: string;
}

export type LeadCaptured = EventEnvelope<'LeadCaptured', LeadCapturedData>;
export type LeadTouched = EventEnvelope<'LeadTouched', LeadTouchedData>;
export type LeadScored = EventEnvelope<'LeadScored', LeadScoredData>;
export type LeadStageChanged = EventEnvelope<'LeadStageChanged', LeadStageChangedData>;
export type LeadQualificationUpdated = EventEnvelope<'LeadQualificationUpdated', LeadQualificationUpdatedData>;
export type LeadAssigned = EventEnvelope<'LeadAssigned', LeadAssignedData>;
export type LeadActivityLogged = EventEnvelope<'LeadActivityLogged', LeadActivityLoggedData>;
export type LeadDispositioned = EventEnvelope<'LeadDispositioned', LeadDispositionedData>;
export type LeadRecycled = EventEnvelope<'LeadRecycled', LeadRecycledData>;
export type LeadConverted = EventEnvelope<'LeadConverted', LeadConvertedData>;

export type LeadEvent =
  | LeadCaptured
  | LeadTouched
  | LeadScored
  | LeadStageChanged
  | LeadQualificationUpdated
  | LeadAssigned
  | LeadActivityLogged
  | LeadDispositioned
  | LeadRecycled
  | LeadConverted;

export type LeadEventType = LeadEvent['type'];
