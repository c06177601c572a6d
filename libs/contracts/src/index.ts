export type { EventEnvelope, FieldError, SubjectKind, SubjectRef } from './envelope';
export * from './events/lead.events';
export * from './events/opportunity.events';
export * from './events/campaign.events';
export * from './events/funnel.events';
export { validateEvent, type EventValidationResult, type ValidateEventOptions } from './validate-event';
export { MAX_ID_LENGTH } from './field-checks';
export {
  MAX_AMOUNT,
  MAX_ECHOED_ID_LENGTH,
  MAX_ERRORS_PER_EVENT,
  MAX_INT4,
  instantProblemMessage,
  parseInstant,
  unstorableTextProblem,
  type InstantProblem,
} from './field-checks';
export { subjectOf } from './subject';
export { DEFAULT_EVENTS_TOPIC, deadLetterTopic } from './topics';
export * from './events/definition.events';
export * from './events/log.events';
export * from './events/retraction.events';
export * from './events/review.events';
export * from './events/sla.events';
export { EVENT_SCHEMA_FILE, anyEventSchema, eventJsonSchema, eventSchemaDocument, eventTypeSchemas } from './event-schema';
export type { JsonSchema } from './field-checks';
export { dataFieldNames } from './validate-event';
export { instant } from './field-checks';
