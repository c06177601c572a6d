import { mappingJsonSchema } from '@funnel/import';
import { API_KEY_SECURITY, UNAUTHORIZED_RESPONSE, RATE_LIMITED_RESPONSE, forbiddenResponse, errorResponse, jsonResponse, schemaRef, type OpenApiPart } from '@funnel/platform';
import { MAX_JSON_BYTES, MAX_MAPPING_BYTES } from './import.controller';
import { MAX_LISTED_REJECTS } from './import.service';

const mib = (bytes: number) => `${bytes / 1024 / 1024} MiB`;

const EXAMPLE_MAPPING = {
  name: 'crm-leads',
  key: ['lead_id'],
  events: [
    {
      type: 'LeadCaptured',
      occurredAt: { column: 'created', format: 'YYYY-MM-DD' },
      fields: { leadId: { column: 'lead_id' }, campaignId: { column: 'campaign' } },
    },
  ],
};

const EXAMPLE_ANSWER = {
  rows: 2,
  rejectedRows: 1,
  accepted: 1,
  duplicates: 0,
  rejected: 1,
  byType: { LeadCaptured: { events: 1, accepted: 1, duplicates: 0, rejected: 1 } },
  rejects: [{ row: 3, reason: 'LeadCaptured occurredAt (column "created"): "03/02/2026" is not a date in "YYYY-MM-DD"', cells: { lead_id: 'L-2', created: '03/02/2026', campaign: 'C-1' } }],
  rejectsOmitted: 0,
};

const counts = (what: string) => ({ type: 'integer', minimum: 0, description: what });

/** POST /v1/import (ImportController); the mapping schema is the one of docs/schema/mapping.schema.json. */
export const IMPORT_OPENAPI: OpenApiPart = {
  paths: {
    '/v1/import': {
      post: {
        operationId: 'importCsv',
        tags: ['ingest'],
        summary: 'Import a CSV file through a mapping (the same work as `npm run import`)',
        description:
          'Each row becomes the events the mapping makes, appended as POST /v1/events would (the same validation, ids derived from the ' +
          'mapping\'s key, so importing a file again makes duplicates, not new events). A row whose value cannot be converted, or ' +
          'whose event is rejected, is listed in `rejects`; the other rows go in. The answer comes when the whole file is in the log. ' +
          `Send \`multipart/form-data\` (streamed, no size limit) or, for a small file, JSON of at most ${mib(MAX_JSON_BYTES)}.`,
        security: API_KEY_SECURITY,
        requestBody: {
          required: true,
          content: {
            'multipart/form-data': {
              schema: {
                type: 'object',
                required: ['mapping', 'csv'],
                properties: {
                  mapping: { type: 'string', description: `The mapping as JSON text (a field or a file part, at most ${mib(MAX_MAPPING_BYTES)}); it must come before \`csv\`.` },
                  csv: { type: 'string', contentMediaType: 'text/csv', description: 'The CSV file; the first row is the header.' },
                  encoding: { type: 'string', description: 'The file\'s text encoding when it is not UTF-8, e.g. `latin1`.' },
                },
              },
              encoding: { mapping: { contentType: 'application/json, text/plain' }, csv: { contentType: 'text/csv, application/octet-stream' } },
            },
            'application/json': {
              schema: {
                type: 'object',
                required: ['mapping', 'csv'],
                properties: {
                  mapping: { oneOf: [schemaRef('ImportMapping'), { type: 'string', description: 'The mapping as JSON text.' }] },
                  csv: { type: 'string', description: 'The whole CSV text, header first.' },
                },
              },
              example: { mapping: EXAMPLE_MAPPING, csv: 'lead_id,created,campaign\nL-1,2026-03-02,C-1\nL-2,03/02/2026,C-1\n' },
            },
          },
        },
        responses: {
          '200': jsonResponse('The file is read to its end; the counts cover every row.', 'ImportAnswer', EXAMPLE_ANSWER),
          '400': errorResponse(
            'The mapping is invalid or names a column the header lacks (INVALID_MAPPING, with `errors`), the CSV cannot be read (INVALID_CSV), or the body is not one of the two forms (INVALID_BODY). Nothing is imported.',
            { error: 'INVALID_MAPPING', message: 'invalid mapping:\n  events[0].fields.campaign: is not a field of LeadCaptured; expected: leadId, campaignId, channel, ...' },
          ),
          '401': UNAUTHORIZED_RESPONSE,
          '403': forbiddenResponse('ingest'),
          '429': RATE_LIMITED_RESPONSE,
          '413': errorResponse(`A JSON body over ${mib(MAX_JSON_BYTES)} or a mapping over ${mib(MAX_MAPPING_BYTES)} (BODY_TOO_LARGE).`, {
            error: 'BODY_TOO_LARGE',
            message: `the body exceeds ${MAX_JSON_BYTES} bytes; upload the CSV as multipart/form-data instead`,
          }),
          '415': errorResponse('Another Content-Type than multipart/form-data or application/json (UNSUPPORTED_MEDIA_TYPE).', {
            error: 'UNSUPPORTED_MEDIA_TYPE',
            message: 'Content-Type must be multipart/form-data or application/json, got "text/csv"',
          }),
        },
      },
    },
  },
  schemas: {
    ImportMapping: { ...withoutDialect(mappingJsonSchema()), description: 'How CSV columns become events (docs/imports.md, docs/schema/mapping.schema.json).' },
    ImportAnswer: {
      type: 'object',
      required: ['rows', 'rejectedRows', 'accepted', 'duplicates', 'rejected', 'byType', 'rejects', 'rejectsOmitted'],
      properties: {
        rows: counts('Data rows read (the header not counted).'),
        rejectedRows: counts('Rows with at least one event not made or rejected.'),
        accepted: counts('Events newly appended to the log.'),
        duplicates: counts('Events already in the log (the same row imported before); they change nothing.'),
        rejected: counts('Events that could not be made from their row, or that ingest rejected.'),
        byType: {
          type: 'object',
          description: 'The same counts per event type.',
          additionalProperties: {
            type: 'object',
            required: ['events', 'accepted', 'duplicates', 'rejected'],
            properties: { events: counts('Events the mapping made.'), accepted: counts(''), duplicates: counts(''), rejected: counts('') },
          },
        },
        rejects: {
          type: 'array',
          maxItems: MAX_LISTED_REJECTS,
          description: `The rejected rows, the first ${MAX_LISTED_REJECTS.toLocaleString('en-US')}.`,
          items: {
            type: 'object',
            required: ['row', 'reason', 'cells'],
            properties: {
              row: { type: 'integer', minimum: 2, description: 'The row as a spreadsheet numbers it: the header is row 1.' },
              reason: { type: 'string', description: 'Why, naming the event type and the column or field.' },
              cells: { type: 'object', additionalProperties: { type: 'string' }, description: 'The row\'s cells by header name.' },
            },
          },
        },
        rejectsOmitted: counts('Rejected rows beyond the listed ones.'),
      },
    },
  },
};

/** A component schema lives inside the document: it takes no `$schema` of its own. */
function withoutDialect(schema: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = schema;
  return rest;
}
