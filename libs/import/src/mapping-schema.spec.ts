import Ajv2020 from 'ajv/dist/2020';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileMapping } from './compile-mapping';
import { mappingJsonSchema } from './mapping.schema';

const root = join(__dirname, '../../..');
const schemaFile = join(root, 'docs/schema/mapping.schema.json');
const examples = readdirSync(join(root, 'examples'), { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.mapping.json'))
  .sort();

describe('docs/schema/mapping.schema.json', () => {
  const schema = JSON.parse(readFileSync(schemaFile, 'utf8'));

  it('is the schema the code validates with (run `npm run schema:mapping` after changing it)', () => {
    expect(schema).toEqual(mappingJsonSchema());
  });

  it('is found by the shipped examples', () => {
    expect(examples).toEqual(expect.arrayContaining(['olist/olist-mqls.mapping.json', 'olist/olist-deals.mapping.json', 'hubspot/hubspot-contacts.mapping.json', 'salesforce/salesforce-lead.mapping.json']));
  });

  it.each(examples)('validates and compiles %s', (example) => {
    const mapping = JSON.parse(readFileSync(join(root, 'examples', example), 'utf8'));
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
    const valid = validate(mapping);
    expect(valid ? [] : validate.errors).toEqual([]);
    expect(() => compileMapping(mapping)).not.toThrow();
  });

  it('rejects what the code rejects, e.g. an unknown transform', () => {
    const validate = new Ajv2020({ strict: false }).compile(schema);
    const bad = { name: 'x', key: ['id'], events: [{ type: 'LeadCaptured', occurredAt: { column: 'd', format: 'ISO' }, fields: { leadId: { column: 'id', transform: ['titlecase'] } } }] };
    expect(validate(bad)).toBe(false);
  });
});
