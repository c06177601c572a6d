import { anyEventSchema, eventTypeSchemas } from '@funnel/contracts';
import { API_KEY_SECURITY, UNAUTHORIZED_RESPONSE, RATE_LIMITED_RESPONSE, forbiddenResponse, errorResponse, jsonResponse, schemaRef, type OpenApiPart } from '@funnel/platform';
import { MAX_BODY_BYTES } from './ingest.controller';
import { ITEM_STATUSES } from './ingest.service';
import { MAX_EVENTS_PER_REQUEST } from './parse-batch';

const EXAMPLE_EVENTS = [
  { id: 'evt-1', type: 'LeadCaptured', occurredAt: '2026-03-02T10:15:00Z', data: { leadId: 'L-42', campaignId: 'C-spring' } },
  { id: 'evt-2', type: 'LeadStageChanged', occurredAt: '2026-03-02T11:00:00+01:00', data: { leadId: 'L-42', stage: 'MQL' } },
];

const PARTIAL_EXAMPLE = {
  accepted: 1,
  duplicates: 0,
  rejected: [{ index: 1, id: 'evt-2', errors: [{ path: 'data.stage', message: 'data.stage must be one of: MQL, SAL, SQL (got "LEAD")' }] }],
  results: [
    { index: 0, id: 'evt-1', status: 'accepted' },
    { index: 1, id: 'evt-2', status: 'rejected' },
  ],
};

const MAX_EVENTS = MAX_EVENTS_PER_REQUEST.toLocaleString('en-US');
const MAX_BODY = `${MAX_BODY_BYTES / 1024 / 1024} MiB`;

const eventList = { type: 'array', items: schemaRef('Event'), minItems: 1, maxItems: MAX_EVENTS_PER_REQUEST };

/** POST /v1/events (IngestController); the event schemas are the generated contracts schemas. */
export const INGEST_OPENAPI: OpenApiPart = {
  paths: {
    '/v1/events': {
      post: {
        operationId: 'postEvents',
        tags: ['ingest'],
        summary: 'Append a batch of events to the log',
        description:
          `At most ${MAX_EVENTS} events and ${MAX_BODY} per request. Each event is validated on its own: ` +
          'valid events are accepted even when others are rejected, and every rejection names the field. `id` is the idempotency ' +
          'key: the first accepted event with an id wins, a later one is a duplicate and changes nothing. Accepted events are ' +
          'durable in the log before the response is sent.',
        security: API_KEY_SECURITY,
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                oneOf: [
                  { type: 'object', required: ['events'], properties: { events: eventList }, additionalProperties: false },
                  { ...eventList, description: 'A bare array of events is accepted too.' },
                ],
              },
              example: { events: EXAMPLE_EVENTS },
            },
            'application/x-ndjson': {
              // OpenAPI 3.1 describes each line of a sequential media type by `itemSchema` only
              // from 3.2 on; the line schema is named in the description.
              schema: { type: 'string', description: 'One event per line, each an Event (#/components/schemas/Event). A line that is not JSON rejects only that event.' },
              example: EXAMPLE_EVENTS.map((e) => JSON.stringify(e)).join('\n'),
            },
          },
        },
        responses: {
          '202': jsonResponse('At least one event is accepted or a duplicate; `results` has one entry per input event, in order.', 'IngestResult', PARTIAL_EXAMPLE),
          '422': jsonResponse('Every event of the batch was rejected (same body as 202).', 'IngestResult'),
          '400': errorResponse('The body is empty, not JSON, or not `{"events":[...]}` (EMPTY_BODY, INVALID_JSON, INVALID_BATCH, EMPTY_BATCH).', {
            error: 'INVALID_BATCH',
            message: 'the body must be {"events":[...]} with an array of events',
          }),
          '401': UNAUTHORIZED_RESPONSE,
          '403': forbiddenResponse('ingest'),
          '429': RATE_LIMITED_RESPONSE,
          '413': errorResponse(`More than ${MAX_EVENTS} events (TOO_MANY_EVENTS) or more than ${MAX_BODY} (BODY_TOO_LARGE).`, {
            error: 'TOO_MANY_EVENTS',
            message: `a request holds at most ${MAX_EVENTS_PER_REQUEST} events, got 12000`,
          }),
          '415': errorResponse('Another Content-Type than application/json or application/x-ndjson (UNSUPPORTED_MEDIA_TYPE).', {
            error: 'UNSUPPORTED_MEDIA_TYPE',
            message: 'Content-Type must be application/json or application/x-ndjson, got "text/csv"',
          }),
        },
      },
    },
  },
  schemas: {
    Event: { ...anyEventSchema((type) => schemaRef(type).$ref), description: 'One event of the v1 catalogue (docs/events.md).' },
    ...eventTypeSchemas(),
    FieldError: {
      type: 'object',
      required: ['path', 'message'],
      properties: {
        path: { type: 'string', description: 'The field, e.g. `data.amount`; empty for the event as a whole.' },
        message: { type: 'string', description: 'Starts with the path, so it reads on its own.' },
      },
    },
    IngestResult: {
      type: 'object',
      required: ['accepted', 'duplicates', 'rejected', 'results'],
      properties: {
        accepted: { type: 'integer', minimum: 0, description: 'Events newly appended to the log.' },
        duplicates: { type: 'integer', minimum: 0, description: 'Events whose id was already accepted (now or earlier); they change nothing.' },
        rejected: {
          type: 'array',
          items: {
            type: 'object',
            required: ['index', 'errors'],
            properties: {
              index: { type: 'integer', minimum: 0, description: 'Position in the request (line − 1 in NDJSON).' },
              id: { type: 'string', description: 'The event id, when the event had a text id.' },
              errors: { type: 'array', items: schemaRef('FieldError'), minItems: 1 },
            },
          },
        },
        results: {
          type: 'array',
          description: 'One entry per input event, in input order.',
          items: {
            type: 'object',
            required: ['index', 'status'],
            properties: {
              index: { type: 'integer', minimum: 0 },
              id: { type: 'string' },
              status: { type: 'string', enum: ITEM_STATUSES },
            },
          },
        },
        truncatedErrors: {
          type: 'integer',
          minimum: 1,
          description:
            'Present when the error details outgrew the request (at least 64 KiB allowed): this many later rejected events list their first error only.',
        },
      },
    },
  },
};
