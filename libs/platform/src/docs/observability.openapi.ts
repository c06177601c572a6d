import { API_KEY_SECURITY, RATE_LIMITED_RESPONSE, UNAUTHORIZED_RESPONSE } from './api-key.openapi';
import { jsonResponse, type OpenApiPart } from './openapi';

const HEALTH_EXAMPLE = {
  status: 'ok',
  details: { postgres: { status: 'up' }, clickhouse: { status: 'up' }, eventLog: { status: 'up' } },
};

/** /health and /metrics, served by every process (ObservabilityController); /health never behind a key. */
export const OBSERVABILITY_OPENAPI: OpenApiPart = {
  paths: {
    '/health': {
      get: {
        operationId: 'health',
        tags: ['operations'],
        summary: 'Whether every store this process uses answers',
        description:
          'Checks the stores of this process: `postgres` (read model), `clickhouse` (facts; not in the ingest API run alone) and `eventLog`. For load balancers and orchestrators.',
        responses: {
          '200': jsonResponse('Every store answers.', 'Health', HEALTH_EXAMPLE),
          '503': jsonResponse('A store does not answer; `details` names it with its error.', 'Health', {
            status: 'error',
            details: { postgres: { status: 'up' }, clickhouse: { status: 'down', error: 'connect ECONNREFUSED 127.0.0.1:8123' }, eventLog: { status: 'up' } },
          }),
        },
      },
    },
    '/metrics': {
      get: {
        operationId: 'metrics',
        tags: ['operations'],
        summary: 'Prometheus metrics',
        security: API_KEY_SECURITY,
        description:
          'Text exposition format: `funnel_ingest_events_total{outcome="accepted|duplicate|rejected"}`, `funnel_projection_dead_letters_total{projection}` and the Node.js process metrics of prom-client.',
        responses: {
          '200': { description: 'Metrics in the Prometheus text format.', content: { 'text/plain': { schema: { type: 'string' } } } },
          '401': { ...UNAUTHORIZED_RESPONSE, description: 'API_KEYS is set, METRICS_OPEN is not true, and the request has no valid key.' },
          '429': RATE_LIMITED_RESPONSE,
        },
      },
    },
  },
  schemas: {
    Health: {
      type: 'object',
      required: ['status', 'details'],
      properties: {
        status: { type: 'string', enum: ['ok', 'error'] },
        details: {
          type: 'object',
          additionalProperties: {
            type: 'object',
            required: ['status'],
            properties: { status: { type: 'string', enum: ['up', 'down'] }, error: { type: 'string' } },
          },
        },
      },
    },
  },
};
