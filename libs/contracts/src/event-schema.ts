import { EVENT_TYPES, type FunnelEventType } from './events/funnel.events';
import { objectSchema, type JsonSchema } from './field-checks';
import { DATA_FIELDS, DATA_RULES, envelopeFields } from './validate-event';

/** Where the generated schema is committed, relative to the repository root (`npm run docs:schema`). */
export const EVENT_SCHEMA_FILE = 'docs/schema/events.schema.json';

/**
 * The JSON Schema of one event type as POST /v1/events accepts it, built from the same field
 * specs `validateEvent` runs (the currency check's schema does not depend on the currency).
 */
function eventTypeSchema(type: FunnelEventType): JsonSchema {
  const rule = DATA_RULES[type];
  const envelope = objectSchema(envelopeFields('USD'), { title: type });
  const properties = envelope.properties as Record<string, JsonSchema>;
  return {
    ...envelope,
    properties: {
      ...properties,
      type: { const: type },
      data: objectSchema(DATA_FIELDS[type], rule ? { description: rule.description } : {}),
    },
  };
}

/**
 * One schema per event type, keyed by type, in catalogue order; `ref(type)` is how the
 * containing document refers to one (its `$defs` here, `components/schemas` in OpenAPI).
 */
export function eventTypeSchemas(): Record<FunnelEventType, JsonSchema> {
  return Object.fromEntries(EVENT_TYPES.map((type) => [type, eventTypeSchema(type)])) as Record<FunnelEventType, JsonSchema>;
}

/** A choice of any event type, discriminated by `type`. */
export function anyEventSchema(ref: (type: FunnelEventType) => string): JsonSchema {
  return {
    type: 'object',
    oneOf: EVENT_TYPES.map((type) => ({ $ref: ref(type) })),
    discriminator: { propertyName: 'type' },
  };
}

/** The whole catalogue as one document: docs/schema/events.schema.json. */
export function eventJsonSchema(): JsonSchema {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'Funnel Ledger event (schemaVersion 1)',
    description:
      'One event as POST /v1/events accepts it. Generated from libs/contracts by `npm run docs:schema`; ' +
      'do not edit. Where JSON Schema cannot say a rule (a real calendar date, the configured currency, ' +
      'a rule across fields given in a description), the server checks it too.',
    ...anyEventSchema((type) => `#/$defs/${type}`),
    $defs: eventTypeSchemas(),
  };
}

/** The committed file's exact text. */
export function eventSchemaDocument(): string {
  return `${JSON.stringify(eventJsonSchema(), null, 2)}\n`;
}
