import { API_KEY_SECURITY, RATE_LIMITED_RESPONSE, UNAUTHORIZED_RESPONSE, forbiddenResponse, type OpenApiPart } from '@funnel/platform';

const answer = (description: string, status: string) => ({
  description,
  content: {
    'application/json': {
      schema: {
        type: 'object',
        required: ['id', 'eventId', 'status'],
        properties: {
          id: { type: 'string', description: 'The EventRetracted event id, `retract:<eventId>`.' },
          eventId: { type: 'string' },
          status: { type: 'string', enum: ['accepted', 'duplicate'] },
        },
      },
      example: { id: 'retract:E-17', eventId: 'E-17', status },
    },
  },
});

/** POST /v1/events/{id}/retract (RetractController). */
export const RETRACT_OPENAPI: OpenApiPart = {
  paths: {
    '/v1/events/{id}/retract': {
      post: {
        operationId: 'retractEvent',
        tags: ['ingest'],
        summary: 'Retract an accepted event: every read model and report behaves as if it had never been accepted',
        description:
          'Appends `EventRetracted {eventId, reason, by}` (id `retract:<eventId>`); nothing is deleted from the log. The ' +
          'retracted id stays taken: send the corrected event under a new id. Retracting again changes nothing (200).',
        security: API_KEY_SECURITY,
        parameters: [{ name: 'id', in: 'path', required: true, description: 'The id of the event to retract.', schema: { type: 'string' } }],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: { type: 'object', required: ['reason'], properties: { reason: { type: 'string', minLength: 1, maxLength: 2000 } } },
              example: { reason: 'mistyped amount, resent as E-17b' },
            },
          },
        },
        responses: {
          '202': answer('The retraction was appended.', 'accepted'),
          '200': answer('The event was retracted already; nothing changed.', 'duplicate'),
          '400': { description: 'No reason.', content: { 'application/json': { example: { error: 'INVALID_REASON', message: 'reason: a non-empty string of at most 2000 characters is required', field: 'reason' } } } },
          '401': UNAUTHORIZED_RESPONSE,
          '403': forbiddenResponse('admin'),
          '404': { description: 'No such event has been projected.', content: { 'application/json': { example: { error: 'EVENT_NOT_FOUND', message: 'event "E-404" is not known: no such event has been projected', eventId: 'E-404' } } } },
          '422': { description: 'The event is one Funnel Ledger writes itself (a retraction, a definition change, an SLA breach, a review decision).', content: { 'application/json': { example: { error: 'NOT_RETRACTABLE', message: 'event "retract:E-17" is a EventRetracted, which Funnel Ledger writes itself; only business events can be retracted', eventId: 'retract:E-17' } } } },
          '429': RATE_LIMITED_RESPONSE,
        },
      },
    },
  },
};
