import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkHeader, compileMapping, MappingError, RowError, type Row } from './compile-mapping';
import { importEventId } from './event-id';

const example = (path: string) => JSON.parse(readFileSync(join(__dirname, '../../../examples', path), 'utf8'));

function mappingErrors(input: unknown) {
  try {
    compileMapping(input);
  } catch (e) {
    if (e instanceof MappingError) return e.errors;
    throw e;
  }
  throw new Error('the mapping compiled');
}

function rowError(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    if (e instanceof RowError) return e.message;
    throw e;
  }
  throw new Error('the row was accepted');
}

const base = {
  name: 'crm',
  key: ['Id'],
  events: [{ type: 'OpportunityCreated', occurredAt: { column: 'Created', format: 'YYYY-MM-DD' }, fields: { opportunityId: { column: 'Id' }, amount: { column: 'Amount', as: 'number' } } }],
};

describe('the Olist mappings', () => {
  const mqls = compileMapping(example('olist/olist-mqls.mapping.json'));
  const deals = compileMapping(example('olist/olist-deals.mapping.json'));

  it('make LeadCaptured and LeadStageChanged MQL from an MQL row, at first contact in UTC', () => {
    const row = { mql_id: 'm1', first_contact_date: '2018-02-01', landing_page_id: 'lp9', origin: 'social' };
    expect(mqls.eventsOf(row).map((e) => e.event)).toEqual([
      { id: importEventId('olist-mqls', 'captured', ['m1']), type: 'LeadCaptured', occurredAt: '2018-02-01T00:00:00.000Z', source: 'olist', data: { leadId: 'm1', channel: 'social', campaignId: 'lp9' } },
      { id: importEventId('olist-mqls', 'mql', ['m1']), type: 'LeadStageChanged', occurredAt: '2018-02-01T00:00:00.000Z', source: 'olist', data: { leadId: 'm1', stage: 'MQL' } },
    ]);
  });

  it('leave the channel out when origin is empty', () => {
    const [captured] = mqls.eventsOf({ mql_id: 'm2', first_contact_date: '2018-02-01', landing_page_id: 'lp9', origin: '' });
    expect(captured.event.data).toEqual({ leadId: 'm2', campaignId: 'lp9' });
  });

  it('make OpportunityCreated linked to the lead and OpportunityWon from a deal row, at won_date', () => {
    const row = { mql_id: 'm1', sr_id: 'sr7', won_date: '2018-02-26 19:58:54', declared_monthly_revenue: '1500.0' };
    expect(deals.eventsOf(row).map((e) => [e.event.type, e.event.occurredAt, e.event.data])).toEqual([
      ['OpportunityCreated', '2018-02-26T19:58:54.000Z', { opportunityId: 'opp-m1', leadIds: ['m1'], amount: 1500, ownerId: 'sr7' }],
      ['OpportunityWon', '2018-02-26T19:58:54.000Z', { opportunityId: 'opp-m1' }],
    ]);
  });

  it('reject a row with a date that does not exist, naming the column', () => {
    expect(rowError(() => deals.eventsOf({ mql_id: 'm1', sr_id: 's', won_date: '2018-02-30 10:00:00', declared_monthly_revenue: '0' }))).toBe(
      'OpportunityCreated occurredAt (column "won_date"): "2018-02-30 10:00:00" is not a date in "YYYY-MM-DD HH:mm:ss"',
    );
  });
});

describe('compileMapping refuses a bad mapping, naming the path', () => {
  it('an unknown transform', () => {
    const m = structuredClone(base) as any;
    m.events[0].fields.amount.transform = ['titlecase'];
    expect(mappingErrors(m)).toEqual([{ path: 'events[0].fields.amount.transform[0]', message: expect.stringContaining('"trim"') }]);
  });

  it('an unknown event type, field or date format', () => {
    const m = structuredClone(base) as any;
    m.events.push({ type: 'DealWon', occurredAt: { column: 'Created', format: 'YYYY-MM-DD' }, fields: {} });
    m.events[0].fields.amout = { column: 'Amount' };
    m.events[0].occurredAt.format = 'DD.MM.YYYY';
    expect([...mappingErrors(m)].sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: 'events[0].occurredAt.format', message: expect.stringMatching(/^Invalid option: expected one of "YYYY-MM-DD"/) },
      { path: 'events[1].type', message: expect.stringContaining('"LeadCaptured"') },
    ]);
    delete m.events[1];
    m.events = m.events.filter(Boolean);
    m.events[0].occurredAt.format = 'YYYY-MM-DD';
    expect(mappingErrors(m)).toEqual([{ path: 'events[0].fields.amout', message: expect.stringContaining('is not a field of OpportunityCreated') }]);
  });

  it('a field with no source or two, a date without a format, a bad zone, two events with one role', () => {
    const m = structuredClone(base) as any;
    m.timeZone = 'Mars/Olympus';
    m.events[0].fields.ownerId = {};
    m.events[0].fields.stage = { column: 'Stage', const: 'x' };
    m.events[0].occurredAt = { column: 'Created' };
    m.events.push(structuredClone(m.events[0]));
    expect(mappingErrors(m).map((e) => e.path)).toEqual([
      'timeZone',
      'events[0].fields.ownerId',
      'events[0].fields.stage',
      'events[0].occurredAt.format',
      'events[1].fields.ownerId',
      'events[1].fields.stage',
      'events[1].occurredAt.format',
      'events[1].role',
    ]);
  });

  it('names a missing column with the path that reads it', () => {
    const compiled = compileMapping(base);
    expect(checkHeader(compiled, ['Id', 'Created'])).toEqual([{ path: 'events[0].fields.amount.column', message: 'column "Amount" is not in the file\'s header ("Id", "Created")' }]);
    expect(checkHeader(compiled, ['Id', 'Created', 'Amount'])).toEqual([]);
  });
});

describe('row → events', () => {
  const deals = compileMapping({
    name: 'hs-deals',
    key: ['Deal ID'],
    timeZone: 'Europe/Berlin',
    events: [
      {
        role: 'created',
        type: 'OpportunityCreated',
        occurredAt: { column: 'Create Date', format: ['YYYY-MM-DD HH:mm', 'YYYY-MM-DD'] },
        fields: {
          opportunityId: { template: 'hs-{Deal ID}' },
          leadIds: { column: 'Contacts', split: ';' },
          amount: { column: 'Amount', as: 'number', decimal: ',', default: 0 },
          stage: { column: 'Deal Stage', transform: ['trim', 'lower'] },
        },
      },
      {
        role: 'lost',
        type: 'OpportunityLost',
        when: [{ column: 'Deal Stage', in: ['closedlost', 'Closed Lost'] }, { column: 'Close Date', notEmpty: true }],
        occurredAt: { column: 'Close Date', format: 'DD/MM/YYYY', timeZone: 'UTC' },
        fields: { opportunityId: { template: 'hs-{Deal ID}' }, reason: { column: 'Reason', transform: ['lower'], map: { 'too expensive': 'price', lost: 'competitor' }, otherwise: 'other' } },
      },
      {
        role: 'won',
        type: 'OpportunityWon',
        when: { column: 'Deal Stage', equals: 'closedwon' },
        occurredAt: { column: 'Close Date', format: 'DD/MM/YYYY' },
        fields: { opportunityId: { template: 'hs-{Deal ID}' }, amount: { column: 'Amount', as: 'number', decimal: ',' } },
      },
    ],
  });
  const row = (r: Partial<Record<string, string>>): Row => ({ 'Deal ID': '7', 'Create Date': '2024-03-31 09:00', Contacts: '1; 2;;3', Amount: '1.250,50', 'Deal Stage': 'closedwon', 'Close Date': '02/04/2024', Reason: '', ...r }) as Row;

  it('splits lists, converts numbers and dates in the zone, and emits conditional events', () => {
    expect(deals.eventsOf(row({})).map((e) => [e.role, e.event.occurredAt, e.event.data])).toEqual([
      ['created', '2024-03-31T07:00:00.000Z', { opportunityId: 'hs-7', leadIds: ['1', '2', '3'], amount: 1250.5, stage: 'closedwon' }],
      ['won', '2024-04-01T22:00:00.000Z', { opportunityId: 'hs-7', amount: 1250.5 }],
    ]);
  });

  it('maps values with a default, and takes an empty cell as the field left out or its default', () => {
    const events = deals.eventsOf(row({ 'Deal Stage': 'closedlost', Reason: 'Too Expensive', Amount: '', Contacts: '' }));
    expect(events.map((e) => [e.role, e.event.data])).toEqual([
      ['created', { opportunityId: 'hs-7', amount: 0, stage: 'closedlost' }],
      ['lost', { opportunityId: 'hs-7', reason: 'price' }],
    ]);
    expect(deals.eventsOf(row({ 'Deal Stage': 'Closed Lost', Reason: 'budget' }))[1].event.data).toEqual({ opportunityId: 'hs-7', reason: 'other' });
    expect(deals.eventsOf(row({ 'Deal Stage': 'Closed Lost', 'Close Date': '' })).map((e) => e.role)).toEqual(['created']);
  });

  it('rejects a bad value with the field, the column and the value', () => {
    expect(rowError(() => deals.eventsOf(row({ Amount: '12.5.0' })))).toBe('OpportunityCreated data.amount (column "Amount"): "12.5.0" is not a number with decimal separator ","');
    expect(rowError(() => deals.eventsOf(row({ Amount: '-5' })))).toMatch(/^OpportunityCreated data.amount \(column "Amount"\): /);
    expect(rowError(() => deals.eventsOf(row({ 'Deal ID': ' ' })))).toBe('key column "Deal ID" is empty');
  });

  it('rejects an unmapped value when the map has no otherwise', () => {
    const strict = compileMapping({ ...base, events: [{ ...base.events[0], fields: { ...base.events[0].fields, stage: { column: 'Stage', map: { A: 'discovery' } } } }] });
    expect(rowError(() => strict.eventsOf({ Id: '1', Created: '2024-01-01', Amount: '1', Stage: 'B' }))).toBe(
      'OpportunityCreated data.stage (column "Stage"): "B" is not in the value map ("A") and no "otherwise" is set',
    );
  });
});

describe('event ids', () => {
  it('depend on exactly the mapping name, the role and the key values', () => {
    const text = fc.string({ maxLength: 30 });
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-z0-9-]{0,39}$/), fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,39}$/), fc.array(text, { minLength: 1, maxLength: 4 }), fc.array(text, { minLength: 1, maxLength: 4 }), (name, role, a, b) => {
        const id = importEventId(name, role, a);
        expect(importEventId(name, role, [...a])).toBe(id);
        expect(id.length).toBeLessThanOrEqual(128);
        expect(id.startsWith(`${name}:${role}:`)).toBe(true);
        if (JSON.stringify(a) !== JSON.stringify(b)) expect(importEventId(name, role, b)).not.toBe(id);
        expect(importEventId(`${name}x`, role, a)).not.toBe(id);
        expect(importEventId(name, `${role}x`, a)).not.toBe(id);
      }),
    );
  });

  it('do not change when a non-key column is corrected', () => {
    const compiled = compileMapping(base);
    const [before] = compiled.eventsOf({ Id: '1', Created: '2024-01-01', Amount: '10' });
    const [after] = compiled.eventsOf({ Id: '1', Created: '2024-01-02', Amount: '12' });
    expect(after.event.id).toBe(before.event.id);
  });
});
