import { generateFunnelEvents } from '@funnel/testing';
import Ajv2020 from 'ajv/dist/2020';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_SCHEMA_FILE, eventJsonSchema, eventSchemaDocument, eventTypeSchemas } from './event-schema';
import { EVENT_TYPES } from './events/funnel.events';
import { DATA_FIELDS, validateEvent } from './validate-event';

// strict: a keyword ajv does not know (a typo in a generated schema) fails the compile.
const ajv = new Ajv2020({ strict: true, discriminator: true, allErrors: true });
const schemaAccepts = ajv.compile(eventJsonSchema());
const serverAccepts = (event: unknown) => validateEvent(event, { reportingCurrency: 'USD' }).ok;

const at = '2026-03-02T10:15:00Z';
const event = (type: string, data: unknown, extra: Record<string, unknown> = {}) => ({ id: 'evt-1', type, occurredAt: at, data, ...extra });

describe('docs/schema/events.schema.json', () => {
  it('is up to date with libs/contracts (run `npm run docs:schema` after changing the catalogue)', () => {
    expect(readFileSync(join(__dirname, '../../..', EVENT_SCHEMA_FILE), 'utf8')).toBe(eventSchemaDocument());
  });

  it('has one schema per event type, each closed to unknown fields', () => {
    const { $defs } = eventJsonSchema() as { $defs: Record<string, { additionalProperties: boolean; properties: { data: { additionalProperties: boolean } } }> };
    expect(Object.keys($defs)).toEqual([...EVENT_TYPES]);
    for (const def of Object.values($defs)) {
      expect([def.additionalProperties, def.properties.data.additionalProperties]).toEqual([false, false]);
    }
  });
});

describe('docs/events.md', () => {
  const doc = readFileSync(join(__dirname, '../../../docs/events.md'), 'utf8');
  const sections = new Map(doc.split(/^### /m).slice(1).map((section) => [section.slice(0, section.indexOf('\n')).trim(), section]));

  // Every enum value anywhere in a schema fragment.
  const enumValues = (schema: unknown): string[] =>
    typeof schema !== 'object' || schema === null
      ? []
      : Object.entries(schema).flatMap(([key, value]) => (key === 'enum' ? (value as string[]) : enumValues(value)));

  it.each([...EVENT_TYPES])('describes %s, every one of its data fields and their allowed values', (type) => {
    const section = sections.get(type) ?? '';
    const fields = Object.keys(DATA_FIELDS[type]).filter((field) => !section.includes(`| \`${field}\` |`));
    const values = enumValues(eventTypeSchemas()[type].properties).filter((v) => v !== type && !section.includes(`\`${v}\``));
    expect({ type, described: sections.has(type), fields, values }).toEqual({ type, described: true, fields: [], values: [] });
  });
});

describe('the events JSON Schema agrees with validateEvent', () => {
  const valid: [string, unknown][] = [
    ['a generated stream of every kind of lead, deal and campaign event', null],
    ['full LeadCaptured', event('LeadCaptured', { leadId: 'L-1', accountId: 'A-1', campaignId: 'C-1', channel: 'webinar', ownerId: 'U-1', attributes: { segment: 'mid', region: 'emea', product: 'core', industry: 'saas', companySize: '51-200' } }, { schemaVersion: 1, source: 'hubspot', currency: 'USD' })],
    ['null in optional fields (CRM exports)', event('LeadCaptured', { leadId: 'L-1', campaignId: null, attributes: { region: null } }, { source: null })],
    ['an amount as a decimal string', event('OpportunityCreated', { opportunityId: 'O-1', amount: '1250.50', leadIds: ['L-1'] })],
    ['an offset and no seconds', event('LeadStageChanged', { leadId: 'L-1', stage: 'SQL' }, { occurredAt: '2026-03-02T11:00+01:00' })],
    ['a bare date where dates are allowed', event('CampaignCostRecorded', { campaignId: 'C-1', amount: 10, periodStart: '2026-03-01', periodEnd: '2026-03-31T23:59:59.999Z' })],
  ];
  const generated = generateFunnelEvents({ leads: 60, seed: 7 });

  it.each(valid)('both accept %s', (_, input) => {
    for (const e of input === null ? generated : [input]) {
      expect([serverAccepts(e), schemaAccepts(e), ajv.errorsText(schemaAccepts.errors)]).toEqual([true, true, 'No errors']);
    }
  });

  it('sees every event type in the generated stream', () => {
    expect(new Set(generated.map((e) => e.type)).size).toBeGreaterThanOrEqual(18);
  });

  const invalid: [string, unknown][] = [
    ['an unknown data field (a typo)', event('OpportunityCreated', { opportunityId: 'O-1', amout: 5 })],
    ['an unknown envelope field', event('LeadRecycled', { leadId: 'L-1' }, { tenant: 'x' })],
    ['a bad enum value', event('LeadStageChanged', { leadId: 'L-1', stage: 'OPPORTUNITY' })],
    ['a bad touch type', event('LeadTouched', { leadId: 'L-1', channel: 'email', touchType: 'newsletter' })],
    ['an unknown event type', event('LeadDeleted', { leadId: 'L-1' })],
    ['a missing required field', event('OpportunityLost', { opportunityId: 'O-1' })],
    ['null in a required field', event('LeadScored', { leadId: null, score: 5 })],
    ['a negative amount', event('OpportunityAmountChanged', { opportunityId: 'O-1', amount: -1 })],
    ['a score above 100', event('LeadScored', { leadId: 'L-1', score: 101 })],
    ['a fractional timeline', event('LeadQualificationUpdated', { leadId: 'L-1', timelineDays: 1.5 })],
    ['a numeric id', event('LeadRecycled', { leadId: 42 })],
    ['a blank id', event('LeadRecycled', { leadId: '  ' })],
    ['an id over 128 characters', event('LeadRecycled', { leadId: 'x'.repeat(129) })],
    ['a time without a zone', event('LeadRecycled', { leadId: 'L-1' }, { occurredAt: '2026-03-02T10:15:00' })],
    ['a bare date as occurredAt', event('LeadRecycled', { leadId: 'L-1' }, { occurredAt: '2026-03-02' })],
    ['schemaVersion 2', event('LeadRecycled', { leadId: 'L-1' }, { schemaVersion: 2 })],
    ['data that is not an object', event('LeadRecycled', ['L-1'])],
  ];

  it.each(invalid)('both reject %s', (_, input) => {
    expect([serverAccepts(input), schemaAccepts(input)]).toEqual([false, false]);
  });

  // What JSON Schema cannot say; the schema documents it and the server enforces it.
  const serverOnly: [string, unknown][] = [
    ['an impossible calendar date', event('LeadRecycled', { leadId: 'L-1' }, { occurredAt: '2026-02-30T10:00:00Z' })],
    ['a cost period ending before it starts', event('CampaignCostRecorded', { campaignId: 'C-1', amount: 1, periodStart: '2026-03-02', periodEnd: '2026-03-01' })],
    ['another currency than REPORTING_CURRENCY', event('LeadRecycled', { leadId: 'L-1' }, { currency: 'EUR' })],
  ];

  it.each(serverOnly)('the schema admits, and the server rejects, %s', (_, input) => {
    expect([serverAccepts(input), schemaAccepts(input)]).toEqual([false, true]);
  });
});
