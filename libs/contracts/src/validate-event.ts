import type { FieldError } from './envelope';
import { EVENT_TYPES, CURRENT_SCHEMA_VERSION, isFunnelEventType, type FunnelEvent } from './events/funnel.events';
import { ACTIVITY_TYPES, DISPOSITIONS, LEAD_STAGES, TOUCH_TYPES, type LeadAttributes, type LeadContact } from './events/lead.events';
import { LOST_REASONS } from './events/opportunity.events';
import { INTERNAL_EVENT_WRITERS } from './events/log.events';
import {
  amount,
  boolean,
  check,
  checkFields,
  dateOrInstant,
  describe,
  errorCount,
  fail,
  finiteNumber,
  id,
  instant,
  MAX_ECHOED_ID_LENGTH,
  isPlainObject,
  listOf,
  objectOf,
  oneOf,
  optional,
  reportedErrors,
  required,
  score,
  text,
  textUpTo,
  wholeNumber,
  type FieldCheck,
  type FieldSpecs,
} from './field-checks';

/*
 * Why the event contract has its own validator and not class-validator DTOs (which the GraphQL
 * inputs use): its messages and paths (`data.amount`, "unknown field amout") are the ingestion
 * contract that clients code against and tests pin, not a framework's wording; it checks plain
 * parsed JSON directly, up to 10,000 events a request, with no class instance per event (no
 * class-transformer pass), which is much faster on the ingest hot path; and libs/contracts
 * imports no framework (house style), so the projector, tests and tools share it unchanged.
 */
export interface ValidateEventOptions {
  /** Amounts are stored in this currency; an event in any other is rejected until FX exists. */
  readonly reportingCurrency: string;
}

export type EventValidationResult =
  | { readonly ok: true; readonly event: FunnelEvent }
  /** `id` is echoed whenever the raw event had a string id, so the caller can report which one failed. */
  | { readonly ok: false; readonly id?: string; readonly errors: FieldError[] };

const attributes = objectOf<LeadAttributes>(
  {
    segment: optional(text),
    region: optional(text),
    product: optional(text),
    industry: optional(text),
    companySize: optional(text),
  },
  'attributes',
);

/**
 * The longest contact values accepted: an email address as SMTP bounds it (RFC 5321: 254), a
 * person's name and a phone number with room for extensions and notation.
 */
export const MAX_CONTACT_LENGTHS = { email: 254, name: 200, phone: 64 } as const;

// Personal data (DESIGN §8): ingest seals it before the log, so only these checks see plaintext.
const contact = objectOf<LeadContact>(
  {
    email: optional(textUpTo(MAX_CONTACT_LENGTHS.email)),
    name: optional(textUpTo(MAX_CONTACT_LENGTHS.name)),
    phone: optional(textUpTo(MAX_CONTACT_LENGTHS.phone)),
  },
  'contact',
);

/** The `data` fields of each type: what ingest checks and what the published JSON Schema says. */
export const DATA_FIELDS: { readonly [E in FunnelEvent as E['type']]: FieldSpecs<E['data']> } = {
  LeadCaptured: {
    leadId: required(id),
    accountId: optional(id),
    campaignId: optional(id),
    channel: optional(text),
    ownerId: optional(id),
    attributes: optional(attributes),
    contact: optional(contact),
  },
  LeadTouched: {
    leadId: required(id),
    campaignId: optional(id),
    channel: required(text),
    touchType: required(oneOf(TOUCH_TYPES)),
  },
  LeadScored: {
    leadId: required(id),
    score: required(score),
    fit: optional(finiteNumber),
    engagement: optional(finiteNumber),
  },
  LeadStageChanged: { leadId: required(id), stage: required(oneOf(LEAD_STAGES)) },
  LeadQualificationUpdated: {
    leadId: required(id),
    budget: optional(boolean),
    authority: optional(boolean),
    need: optional(boolean),
    timelineDays: optional(wholeNumber),
  },
  LeadAssigned: { leadId: required(id), ownerId: required(id), queue: optional(text), rule: optional(text) },
  LeadActivityLogged: { leadId: required(id), ownerId: optional(id), activityType: required(oneOf(ACTIVITY_TYPES)) },
  LeadDispositioned: { leadId: required(id), disposition: required(oneOf(DISPOSITIONS)), note: optional(text) },
  LeadRecycled: { leadId: required(id), reason: optional(text) },
  LeadConverted: { leadId: required(id), opportunityId: required(id), accountId: optional(id) },
  OpportunityCreated: {
    opportunityId: required(id),
    accountId: optional(id),
    leadIds: optional(listOf(id)),
    ownerId: optional(id),
    amount: required(amount),
    stage: optional(text),
  },
  OpportunityStageChanged: { opportunityId: required(id), stage: required(text) },
  OpportunityAmountChanged: { opportunityId: required(id), amount: required(amount) },
  OpportunityNextStepSet: {
    opportunityId: required(id),
    nextStep: required(text),
    dueAt: required(dateOrInstant),
  },
  OpportunityStallAcknowledged: {
    opportunityId: required(id),
    reason: required(text),
    resumeBy: required(dateOrInstant),
  },
  OpportunityWon: { opportunityId: required(id), amount: optional(amount) },
  OpportunityLost: { opportunityId: required(id), reason: required(oneOf(LOST_REASONS)) },
  OpportunityReopened: { opportunityId: required(id) },
  CampaignLaunched: {
    campaignId: required(id),
    name: required(text),
    channel: required(text),
    budget: optional(amount),
  },
  CampaignCostRecorded: {
    campaignId: required(id),
    amount: required(amount),
    periodStart: required(dateOrInstant),
    periodEnd: required(dateOrInstant),
  },
};

/** The `data` field names of an event type, for tools that build events (CSV import mappings). */
export function dataFieldNames(type: FunnelEvent['type']): readonly string[] {
  return Object.keys(DATA_FIELDS[type]);
}

/**
 * Rules across fields; they see only the fields that passed their own checks. JSON Schema cannot
 * say them, so the published schema carries their `description`.
 */
export const DATA_RULES: {
  readonly [E in FunnelEvent as E['type']]?: {
    readonly description: string;
    readonly apply: (data: Partial<E['data']>, errors: FieldError[]) => void;
  };
} = {
  CampaignCostRecorded: {
    description: 'periodEnd must not be before periodStart.',
    apply: ({ periodStart, periodEnd }, errors) => {
      // Both dates are normalised to the same UTC format, so string order is time order.
      if (periodStart !== undefined && periodEnd !== undefined && periodEnd < periodStart) {
        fail(errors, 'data.periodEnd', `(${periodEnd}) must not be before data.periodStart (${periodStart})`);
      }
    },
  },
};

const eventType = check<FunnelEvent['type']>({ type: 'string', enum: EVENT_TYPES }, (value, path, errors) => {
  if (isFunnelEventType(value)) return value;
  if (typeof value === 'string' && Object.hasOwn(INTERNAL_EVENT_WRITERS, value)) {
    return fail(errors, path, `${describe(value)} is written only by ${INTERNAL_EVENT_WRITERS[value]} and is not accepted from outside`);
  }
  const problem =
    typeof value === 'string'
      ? `${describe(value)} is not a known event type`
      : `must be an event type name (got ${describe(value)})`;
  return fail(errors, path, `${problem}; use one of: ${EVENT_TYPES.join(', ')}`);
});

const schemaVersion = check<number>({ const: CURRENT_SCHEMA_VERSION }, (value, path, errors) => {
  if (value === CURRENT_SCHEMA_VERSION) return value;
  const message =
    typeof value === 'number' && Number.isInteger(value)
      ? `${value} is not supported; this server accepts ${path} ${CURRENT_SCHEMA_VERSION}`
      : `must be a whole number such as ${CURRENT_SCHEMA_VERSION} (got ${describe(value)})`;
  return fail(errors, path, message);
});

// Each type's own data schema replaces this one in the published schema.
const anyObject = check<Record<string, unknown>>({ type: 'object' }, (value, path, errors) =>
  isPlainObject(value) ? value : fail(errors, path, `must be an object holding the event's fields (got ${describe(value)})`),
);

const CURRENCY_SCHEMA = {
  type: 'string',
  description: 'The server\'s REPORTING_CURRENCY (default USD, any letter case); any other currency is rejected until FX exists.',
};

function currencyCheck(reportingCurrency: string): FieldCheck<string> {
  const expected = reportingCurrency.toUpperCase();
  return check(CURRENCY_SCHEMA, (value, path, errors) => {
    if (typeof value === 'string' && value.toUpperCase() === expected) return expected;
    return fail(
      errors,
      path,
      `${describe(value)} is not accepted: amounts must be in ${expected}, the reporting currency, ` +
        'until currency conversion (FX) exists',
    );
  });
}

export interface WireEnvelope {
  readonly id: string;
  readonly type: FunnelEvent['type'];
  readonly occurredAt: string;
  readonly schemaVersion?: number;
  readonly source?: string;
  readonly currency?: string;
  readonly data: Record<string, unknown>;
}

/** The envelope around `data`: what ingest checks and what the published JSON Schema says. */
export function envelopeFields(reportingCurrency: string): FieldSpecs<WireEnvelope> {
  return {
    id: required(id),
    type: required(eventType),
    occurredAt: required(instant),
    schemaVersion: optional(schemaVersion),
    source: optional(text),
    currency: optional(currencyCheck(reportingCurrency)),
    data: required(anyObject),
  };
}

/**
 * Validates one raw event against the v1 catalogue and returns it normalised (UTC millisecond
 * timestamps, numeric amounts, `schemaVersion` filled in), or every problem found in it (at most
 * MAX_ERRORS_PER_EVENT entries, the last one counting the rest). Accepts only what both read
 * models store exactly: no NUL or lone surrogate in any text, dates in years 1 to 9999, integers
 * within int4, amounts below MAX_AMOUNT.
 */
export function validateEvent(raw: unknown, options: ValidateEventOptions): EventValidationResult {
  if (!isPlainObject(raw)) {
    const message = `each event must be an object with id, type, occurredAt and data (got ${describe(raw)})`;
    return { ok: false, errors: [{ path: '', message }] };
  }
  const errors: FieldError[] = [];
  const envelopeSpecs = envelopeFields(options.reportingCurrency);
  const envelope = checkFields(envelopeSpecs, raw, '', 'an event', errors) as Partial<WireEnvelope>;

  // The data is checked even when the envelope has errors, so one attempt reports everything.
  let data: Record<string, unknown> | undefined;
  if (envelope.type !== undefined && envelope.data !== undefined) {
    const type = envelope.type;
    data = checkFields(DATA_FIELDS[type], envelope.data, 'data', `${type} data`, errors);
    const rule = DATA_RULES[type]?.apply as ((fields: Record<string, unknown>, errors: FieldError[]) => void) | undefined;
    rule?.(data, errors);
  }

  if (errorCount(errors) > 0) {
    // A somewhat long id is echoed so the client can find it; a huge one could be the whole body.
    const echoed = typeof raw.id === 'string' && raw.id.length <= MAX_ECHOED_ID_LENGTH;
    const reported = reportedErrors(errors);
    return echoed ? { ok: false, id: raw.id as string, errors: reported } : { ok: false, errors: reported };
  }
  const valid = envelope as WireEnvelope;
  const event = {
    id: valid.id,
    type: valid.type,
    occurredAt: valid.occurredAt,
    schemaVersion: valid.schemaVersion ?? CURRENT_SCHEMA_VERSION,
    ...(valid.source !== undefined && { source: valid.source }),
    ...(valid.currency !== undefined && { currency: valid.currency }),
    data,
  };
  // `data` passed DATA_FIELDS[type], whose FieldSpecs type ties its shape to this event type.
  return { ok: true, event: event as unknown as FunnelEvent };
}
