import { PROJECTION_NAMES } from '@funnel/config';
import { API_KEY_SECURITY, UNAUTHORIZED_RESPONSE, RATE_LIMITED_RESPONSE, jsonResponse, type OpenApiPart } from '@funnel/platform';

/** GET /v1/status (StatusController). */
export const STATUS_OPENAPI: OpenApiPart = {
  paths: {
    '/v1/status': {
      get: {
        operationId: 'status',
        tags: ['ingest'],
        summary: 'Events accepted, and how far each projection has got',
        description:
          '`lag` is the number of accepted events not yet visible in that read model. On Kafka it is the consumer group\'s committed offsets against the partitions\' high watermarks. The same figures are the GraphQL `status` query.',
        security: API_KEY_SECURITY,
        responses: {
          '200': jsonResponse('The status.', 'IngestionStatus', {
            accepted: 6,
            retracted: 0,
            projections: [
              { name: 'postgres', processed: 6, lag: 0 },
              { name: 'clickhouse', processed: 4, lag: 2 },
            ],
          }),
          '401': UNAUTHORIZED_RESPONSE,
          '429': RATE_LIMITED_RESPONSE,
        },
      },
    },
  },
  schemas: {
    IngestionStatus: {
      type: 'object',
      required: ['accepted', 'projections'],
      properties: {
        accepted: { type: 'integer', minimum: 0, description: 'Events in the log.' },
        retracted: { type: 'integer', minimum: 0, description: 'Events retracted (POST /v1/events/{id}/retract), as the PostgreSQL read model has them; the log keeps them.' },
        projections: {
          type: 'array',
          description: 'One entry per projection of PROJECTIONS.',
          items: {
            type: 'object',
            required: ['name', 'processed', 'lag'],
            properties: {
              name: { type: 'string', enum: PROJECTION_NAMES },
              processed: { type: 'integer', minimum: 0, description: 'Events this projection has handled and committed.' },
              lag: { type: 'integer', minimum: 0, description: 'Events in the log it has not committed yet.' },
            },
          },
        },
      },
    },
  },
};
