import { API_KEY_SECURITY, RATE_LIMITED_RESPONSE, UNAUTHORIZED_RESPONSE, forbiddenResponse, type OpenApiPart } from '@funnel/platform';

/** POST /v1/leads/{id}/erase (ErasureController). */
export const ERASURE_OPENAPI: OpenApiPart = {
  paths: {
    '/v1/leads/{id}/erase': {
      post: {
        operationId: 'eraseLead',
        tags: ['personal data'],
        summary: 'Forget the person behind a lead: destroy its contact key and scrub the read models',
        description:
          'Destroys the lead\'s data key, so every sealed copy of its contact (the event log, Kafka segments, backups) can no ' +
          'longer be decrypted, and deletes the sealed contact from the read models. The log is not changed and every count ' +
          'stays the same; `lead(id) { contact }` answers null from now on, and a later capture of the lead stores no contact. ' +
          'Idempotent: erasing again answers the first erasure (`alreadyErased: true`).',
        security: API_KEY_SECURITY,
        parameters: [{ name: 'id', in: 'path', required: true, description: 'The lead id.', schema: { type: 'string' } }],
        responses: {
          '200': {
            description: 'The erasure record.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['leadId', 'erasedAt', 'erasedBy', 'alreadyErased'],
                  properties: {
                    leadId: { type: 'string' },
                    erasedAt: { type: 'string', format: 'date-time', description: 'When the lead was first erased.' },
                    erasedBy: { type: 'string', description: 'The key name of the admin who erased it (`local` in open mode).' },
                    alreadyErased: { type: 'boolean', description: 'True when an earlier call had erased it already.' },
                  },
                },
                example: { leadId: 'L-1', erasedAt: '2026-03-02T10:15:00.000Z', erasedBy: 'mia', alreadyErased: false },
              },
            },
          },
          '401': UNAUTHORIZED_RESPONSE,
          '403': forbiddenResponse('admin'),
          '404': {
            description: 'No event of this lead has been projected and it has no key.',
            content: {
              'application/json': {
                example: { error: 'LEAD_NOT_FOUND', message: 'lead "L-404" is not known: no event of it has been projected', leadId: 'L-404' },
              },
            },
          },
          '429': RATE_LIMITED_RESPONSE,
        },
      },
    },
  },
};
