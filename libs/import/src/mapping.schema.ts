import { EVENT_TYPES } from '@funnel/contracts';
import { z } from 'zod';

/** Date formats a column may be read in (named, so a mapping never carries a format language). */
export const DATE_FORMATS = [
  'YYYY-MM-DD',
  'YYYY-MM-DD HH:mm',
  'YYYY-MM-DD HH:mm:ss',
  'DD/MM/YYYY',
  'DD/MM/YYYY HH:mm',
  'DD/MM/YYYY HH:mm:ss',
  'MM/DD/YYYY',
  'MM/DD/YYYY HH:mm',
  'MM/DD/YYYY HH:mm:ss',
  'ISO',
  'unix',
  'unix-ms',
  'excel',
] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

export const TRANSFORMS = ['trim', 'lower', 'upper'] as const;
export type Transform = (typeof TRANSFORMS)[number];

export const VALUE_KINDS = ['string', 'number', 'integer', 'boolean', 'date'] as const;

const scalar = z.union([z.string(), z.number(), z.boolean()]);

const fieldSpec = z
  .strictObject({
    column: z.string().min(1).optional().describe('Read the value from this CSV column (exact header text).'),
    template: z
      .string()
      .min(1)
      .optional()
      .describe('Build the value from columns, e.g. "opp-{mql_id}"; {Column Name} is replaced by that cell.'),
    const: z.union([scalar, z.array(z.string())]).optional().describe('A constant value for every row.'),
    transform: z.array(z.enum(TRANSFORMS)).optional().describe('String transforms applied to the cell first, in order.'),
    split: z.string().min(1).optional().describe('Split the cell on this separator into an array (items trimmed, empty items dropped).'),
    map: z
      .record(z.string(), scalar)
      .optional()
      .describe('Value map, e.g. a CRM stage name to ours. An unmapped value rejects the row unless "otherwise" is set.'),
    otherwise: scalar.optional().describe('The value for a cell that "map" does not list.'),
    as: z.enum(VALUE_KINDS).optional().describe('Convert the value (after transform and map); default string.'),
    decimal: z
      .enum(['.', ','])
      .optional()
      .describe('Decimal separator of a number (default "."); the other one, a space or an apostrophe may group thousands.'),
    format: z
      .union([z.enum(DATE_FORMATS), z.array(z.enum(DATE_FORMATS)).min(1)])
      .optional()
      .describe('Date format(s) of the cell, tried in order; required when "as" is "date" and for occurredAt.'),
    timeZone: z.string().min(1).optional().describe('IANA zone of a date without an offset; default: the mapping\'s timeZone.'),
    default: scalar.optional().describe('The value when the cell is empty; without it an empty cell leaves the field out.'),
  })
  .describe('Where one event field comes from: exactly one of column, template or const, then transforms.');

const condition = z
  .strictObject({
    column: z.string().min(1),
    notEmpty: z.literal(true).optional(),
    empty: z.literal(true).optional(),
    equals: z.string().optional(),
    in: z.array(z.string()).min(1).optional(),
  })
  .describe('A test on a trimmed cell: exactly one of notEmpty, empty, equals or in.');

const eventSpec = z.strictObject({
  role: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/, 'must be 1-40 letters, digits, "_" or "-"')
    .optional()
    .describe('Names the event within the mapping (part of its id); default: the type. Unique within the mapping.'),
  type: z.enum(EVENT_TYPES),
  when: z
    .union([condition, z.array(condition).min(1)])
    .optional()
    .describe('Emit the event only when the condition (or every condition of the list) holds for the row.'),
  occurredAt: fieldSpec.describe('The business time of the event: a column with a date format, or a const ISO instant.'),
  fields: z
    .record(z.string(), fieldSpec)
    .describe('The event\'s data fields by name (nested ones dotted: "attributes.segment").'),
});

export const mappingSchema = z
  .strictObject({
    $schema: z.string().optional(),
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/, 'must be 1-40 letters, digits, ".", "_" or "-"')
      .describe('The mapping\'s name; part of every event id, so renaming it re-imports everything.'),
    description: z.string().optional(),
    key: z
      .array(z.string().min(1))
      .min(1)
      .describe('The columns that identify a row; with the name and the event role they make the event ids.'),
    timeZone: z.string().min(1).optional().describe('IANA zone of dates without an offset (default UTC).'),
    delimiter: z.string().length(1).optional().describe('CSV field delimiter (default ",").'),
    source: z.string().min(1).optional().describe('The events\' source (default: the mapping name).'),
    events: z.array(eventSpec).min(1).describe('The events each row can make, in order.'),
  })
  .describe('A Funnel Ledger CSV import mapping: which rows make which events.');

export type Mapping = z.infer<typeof mappingSchema>;
export type FieldSpecInput = z.infer<typeof fieldSpec>;
export type ConditionInput = z.infer<typeof condition>;
export type EventSpecInput = z.infer<typeof eventSpec>;

/** The JSON Schema of a mapping (docs/schema/mapping.schema.json is this, written by `npm run schema:mapping`). */
export function mappingJsonSchema(): Record<string, unknown> {
  return {
    title: 'Funnel Ledger import mapping',
    ...z.toJSONSchema(mappingSchema, { target: 'draft-2020-12' }),
  };
}
