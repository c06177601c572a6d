import { API_KEY_SECURITY, REPORT_URL_KEY_PARAM, UNAUTHORIZED_RESPONSE, RATE_LIMITED_RESPONSE, forbiddenResponse, schemaRef, type OpenApiPart } from '@funnel/platform';
import { MAX_PAGE_SIZE } from '../common/keyset-cursor';
import { REPORT_TABLES } from './report-tables';

/** The bodies ReportUrlsController answers with when a report cannot run: GraphQL's error shape. */
const reportErrors = (description: string, example: unknown) => ({
  description,
  content: { 'application/json': { schema: schemaRef('ReportUrlErrors'), example } },
});

/** GET /v1/reports/{query}.{format} (ReportUrlsController); one report per entry of REPORT_TABLES. */
export const REPORT_URLS_OPENAPI: OpenApiPart = {
  paths: {
    '/v1/reports/{query}.{format}': {
      get: {
        operationId: 'reportUrl',
        tags: ['reports'],
        summary: 'A GraphQL report as a CSV or JSON URL, for spreadsheets and BI tools',
        description:
          'Runs the GraphQL query of the same name (schema.graphql) with the URL\'s parameters as its arguments: each argument ' +
          'by name, and the fields of an input-object argument (such as `filter`) by their own names; a list argument is the ' +
          'parameter repeated. The CSV has a header row, CRLF line ends and RFC 4180 quoting, one row per item of the report\'s ' +
          `table (docs/bi-tools.md); a record list's CSV holds every page unless \`first\` (at most ${MAX_PAGE_SIZE}) is given.`,
        security: API_KEY_SECURITY,
        parameters: [
          { name: 'query', in: 'path', required: true, description: 'The report: a GraphQL query field.', schema: { type: 'string', enum: Object.keys(REPORT_TABLES) } },
          { name: 'format', in: 'path', required: true, schema: { type: 'string', enum: ['csv', 'json'] } },
          {
            name: REPORT_URL_KEY_PARAM,
            in: 'query',
            required: false,
            description: 'An API key, for tools that cannot send headers (Google Sheets `IMPORTDATA`); the headers work too.',
            schema: { type: 'string' },
          },
          {
            name: 'arguments',
            in: 'query',
            required: false,
            description: 'The query\'s arguments, e.g. `from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z&breakdown=CHANNEL` for `funnel`.',
            style: 'form',
            explode: true,
            schema: { type: 'object', additionalProperties: { type: 'string' } },
          },
        ],
        responses: {
          '200': {
            description: 'The report.',
            content: {
              'text/csv; charset=utf-8': { schema: { type: 'string', description: 'A header row, then one row per item of the report\'s table.' } },
              'application/json': { schema: schemaRef('ReportUrlAnswer') },
            },
            headers: {
              'content-disposition': { description: 'CSV only: `attachment; filename="<query>.csv"`.', schema: { type: 'string' } },
            },
          },
          '400': reportErrors('A parameter that is not an argument, a missing required one or a value of the wrong type (BAD_USER_INPUT, naming `argument`), or a report GraphQL refuses (GRAPHQL_VALIDATION_FAILED, DEFINITION_NOT_FOUND, QUERY_TOO_COMPLEX).', {
            errors: [{ message: 'to: is required (DateTime!)', code: 'BAD_USER_INPUT', argument: 'to' }],
          }),
          '401': UNAUTHORIZED_RESPONSE,
          '403': forbiddenResponse('analyst'),
          '429': RATE_LIMITED_RESPONSE,
          '504': reportErrors('The report ran longer than REPORT_TIMEOUT_MS and ClickHouse cancelled it (QUERY_TIMEOUT). Also 429 TOO_MANY_REQUESTS with `Retry-After` when the key has REPORT_CONCURRENCY_PER_KEY reports running and REPORT_QUEUE_PER_KEY waiting.', {
            errors: [{ message: 'the report ran longer than REPORT_TIMEOUT_MS=30000 ms and was cancelled; narrow the period or filters', code: 'QUERY_TIMEOUT' }],
          }),
          '404': reportErrors('No report of that name, or another extension than .csv or .json (NOT_FOUND); the message lists the reports.', {
            errors: [{ message: 'no report "funnels.csv"; use /v1/reports/<query>.csv or .json with one of: funnel, cohorts, ...', code: 'NOT_FOUND' }],
          }),
        },
      },
    },
  },
  schemas: {
    ReportUrlAnswer: {
      type: 'object',
      required: ['data', 'warnings'],
      properties: {
        data: { description: 'The report as GraphQL answers it (one page, with `pageInfo`, for record lists).' },
        warnings: { type: 'array', items: { type: 'object' }, description: 'Data-quality warnings about the report (docs/bi-tools.md).' },
      },
    },
    ReportUrlErrors: {
      type: 'object',
      required: ['errors'],
      properties: {
        errors: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            required: ['message'],
            properties: {
              message: { type: 'string' },
              code: { type: 'string', description: 'The GraphQL error code, e.g. BAD_USER_INPUT, NOT_FOUND.' },
              argument: { type: 'string', description: 'The parameter at fault, when there is one.' },
            },
          },
        },
      },
    },
  },
};
