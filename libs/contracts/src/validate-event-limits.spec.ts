import fc from 'fast-check';
import { EVENT_TYPES } from './events/funnel.events';
import { MAX_AMOUNT, MAX_ERRORS_PER_EVENT, MAX_INT4, parseInstant } from './field-checks';
import { errorsOf, pathsOf, raw, validate } from './validate-event.fixtures';

// Regression tests for values that passed validation but could not be stored exactly by a read
// model (issue 12): each one used to fail a whole batch, merge two ids, or split the read models.

const event = raw;

/** Parses JSON text, as ingest does, so `\ud800` escapes become the lone surrogates a client sends. */
const fromJson = (json: string): unknown => JSON.parse(json);

describe('validateEvent: text a store cannot hold', () => {
  const captured = (overrides: Record<string, unknown>) =>
    event('LeadCaptured', { leadId: 'L-1', channel: 'web', attributes: { region: 'EMEA' }, ...overrides });

  it.each([
    ['id', { ...captured({}), id: 'evt\u00001' }],
    ['source', { ...captured({}), source: 'crm\u0000' }],
    ['data.leadId', captured({ leadId: 'L\u0000' })],
    ['data.channel', captured({ channel: '\u0000web' })],
    ['data.attributes.region', captured({ attributes: { region: 'EM\u0000EA' } })],
    ['data.contact.email', captured({ contact: { email: 'ana\u0000@example.com' } })],
    ['data.leadIds[1]', event('OpportunityCreated', { opportunityId: 'O-1', amount: 1, leadIds: ['L-1', 'L-\u0000'] })],
  ])('rejects a NUL character in %s, naming the field', (path, input) => {
    const errors = errorsOf(input);
    expect(errors.map((e) => e.path)).toEqual([path]);
    expect(errors[0].message).toContain('NUL');
  });

  it.each([
    ['a lone high surrogate in data', '{"id":"e","type":"LeadCaptured","occurredAt":"2026-03-02T10:15:00Z","data":{"leadId":"L\\ud800"}}', 'data.leadId'],
    ['a lone low surrogate in data', '{"id":"e","type":"LeadStageChanged","occurredAt":"2026-03-02T10:15:00Z","data":{"leadId":"\\udfffL","stage":"MQL"}}', 'data.leadId'],
    ['a lone surrogate in the id', '{"id":"x\\ud800","type":"LeadCaptured","occurredAt":"2026-03-02T10:15:00Z","data":{"leadId":"L"}}', 'id'],
    ['a swapped pair in the id', '{"id":"x\\udfff\\ud800","type":"LeadCaptured","occurredAt":"2026-03-02T10:15:00Z","data":{"leadId":"L"}}', 'id'],
    ['a lone surrogate in a contact', '{"id":"e","type":"LeadCaptured","occurredAt":"2026-03-02T10:15:00Z","data":{"leadId":"L","contact":{"name":"Ana\\ud800"}}}', 'data.contact.name'],
    ['a lone surrogate in free text', '{"id":"e","type":"LeadRecycled","occurredAt":"2026-03-02T10:15:00Z","data":{"leadId":"L","reason":"why\\ud83d"}}', 'data.reason'],
  ])('rejects %s', (_, json, path) => {
    const errors = errorsOf(fromJson(json));
    expect(errors.map((e) => e.path)).toEqual([path]);
    expect(errors[0].message).toMatch(/unpaired surrogate/);
  });

  it('accepts paired surrogates (emoji) and other non-ASCII text', () => {
    const result = validate(fromJson('{"id":"x\\ud83d\\ude00","type":"LeadRecycled","occurredAt":"2026-03-02T10:15:00Z","data":{"leadId":"Łódź-😀","reason":"ok \\ud83d\\ude00"}}'));
    expect(result.ok).toBe(true);
  });

  it('never echoes an id longer than any stored id', () => {
    const result = validate({ ...captured({}), id: 'x'.repeat(10_000) });
    expect(result.ok).toBe(false);
    expect(result).not.toHaveProperty('id');
  });
});

describe('validateEvent: dates outside years 1 to 9999', () => {
  it.each([
    '0000-01-01T00:00:00Z',
    '9999-12-31T23:59:59-01:00',
    '0001-01-01T00:30:00+01:00',
  ])('rejects occurredAt %s, which falls outside once normalised to UTC', (occurredAt) => {
    const errors = errorsOf(event('LeadCaptured', { leadId: 'L-1' }, { occurredAt }));
    expect(errors.map((e) => e.path)).toEqual(['occurredAt']);
    expect(errors[0].message).toContain('outside years 0001 to 9999');
  });

  it.each([
    ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z'],
    ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
    ['9999-12-31T23:59:59+01:00', '9999-12-31T22:59:59.000Z'],
  ])('accepts the edges: %s', (occurredAt, normalised) => {
    const result = validate(event('LeadCaptured', { leadId: 'L-1' }, { occurredAt }));
    expect(result.ok && result.event.occurredAt).toBe(normalised);
  });

  it.each([
    ['CampaignCostRecorded', { campaignId: 'C', amount: 1, periodStart: '0000-01-01', periodEnd: '2026-01-01' }, 'data.periodStart'],
    ['CampaignCostRecorded', { campaignId: 'C', amount: 1, periodStart: '2026-01-01', periodEnd: '9999-12-31T23:59:59-01:00' }, 'data.periodEnd'],
    ['OpportunityNextStepSet', { opportunityId: 'O', nextStep: 'call', dueAt: '0000-12-31' }, 'data.dueAt'],
    ['OpportunityStallAcknowledged', { opportunityId: 'O', reason: 'leave', resumeBy: '10000-01-01' }, 'data.resumeBy'],
  ])('rejects a far %s date, naming the field', (type, data, path) => {
    expect(pathsOf(event(type, data))).toEqual([path]);
  });

  it('is the one parser, shared with the reporting API', () => {
    expect(parseInstant('2018-02-30T00:00:00Z', false)).toEqual({ problem: 'impossible' });
    expect(parseInstant('01/02/2018', false)).toEqual({ problem: 'format' });
    expect(parseInstant('yesterday', false)).toEqual({ problem: 'format' });
    expect(parseInstant('2018-02-28T00:00:00+01:00', false)).toEqual({ iso: '2018-02-27T23:00:00.000Z' });
  });
});

describe('validateEvent: numbers beyond what the read models store', () => {
  it('takes timelineDays up to the int4 maximum and no further', () => {
    const qualification = (timelineDays: number) => event('LeadQualificationUpdated', { leadId: 'L', timelineDays });
    expect(validate(qualification(MAX_INT4)).ok).toBe(true);
    expect(pathsOf(qualification(MAX_INT4 + 1))).toEqual(['data.timelineDays']);
    expect(errorsOf(qualification(2_147_483_648))[0].message).toContain('2147483647');
  });

  it.each([1e308, MAX_AMOUNT, '1000000000000000', Number.MAX_VALUE])('rejects the amount %p', (amount) => {
    const errors = errorsOf(event('OpportunityCreated', { opportunityId: 'O', amount }));
    expect(errors.map((e) => e.path)).toEqual(['data.amount']);
    expect(errors[0].message).toContain('less than 1e+15');
  });

  it.each(['999999999999999', 999_999_999_999.99, MAX_AMOUNT - 1])('accepts the amount %p, below the bound', (amount) => {
    expect(validate(event('OpportunityAmountChanged', { opportunityId: 'O', amount })).ok).toBe(true);
  });

  it.each([
    ['data.budget', 'CampaignLaunched', { campaignId: 'C', name: 'n', channel: 'c', budget: 1e308 }],
    ['data.amount', 'OpportunityWon', { opportunityId: 'O', amount: 1e16 }],
    ['data.amount', 'CampaignCostRecorded', { campaignId: 'C', amount: 1e300, periodStart: '2026-01-01', periodEnd: '2026-02-01' }],
    ['data.fit', 'LeadScored', { leadId: 'L', score: 1, fit: Number.POSITIVE_INFINITY }],
    ['data.engagement', 'LeadScored', { leadId: 'L', score: 1, engagement: Number.NaN }],
    ['data.score', 'LeadScored', { leadId: 'L', score: Number.NaN }],
  ])('rejects a non-storable %s', (path, type, data) => {
    expect(pathsOf(event(type, data))).toEqual([path]);
  });
});

describe('validateEvent: bounded error output', () => {
  it(`reports at most ${MAX_ERRORS_PER_EVENT} errors per event, the last counting the rest`, () => {
    const data: Record<string, unknown> = { leadId: 'L' };
    for (let i = 0; i < 1000; i++) data[`unknown${i}`] = i;
    const errors = errorsOf(event('LeadCaptured', data));
    expect(errors).toHaveLength(MAX_ERRORS_PER_EVENT);
    expect(errors[0].path).toBe('data.unknown0');
    expect(errors[MAX_ERRORS_PER_EVENT - 1]).toEqual({ path: '', message: '...and 981 more errors in this event' });
  });

  it('bounds a list of bad ids as well', () => {
    const errors = errorsOf(event('OpportunityCreated', { opportunityId: 'O', amount: 1, leadIds: Array(500).fill('') }));
    expect(errors).toHaveLength(MAX_ERRORS_PER_EVENT);
    expect(errors[MAX_ERRORS_PER_EVENT - 1].message).toBe('...and 481 more errors in this event');
  });

  it('keeps exactly 20 errors as they are', () => {
    const data: Record<string, unknown> = { leadId: 'L' };
    for (let i = 0; i < MAX_ERRORS_PER_EVENT; i++) data[`k${i}`] = i;
    const errors = errorsOf(event('LeadCaptured', data));
    expect(errors).toHaveLength(MAX_ERRORS_PER_EVENT);
    expect(errors.every((e) => e.path.startsWith('data.k'))).toBe(true);
  });

  it('quotes a long unknown key back only in part', () => {
    const [error] = errorsOf(event('LeadCaptured', { leadId: 'L', ['k'.repeat(100_000)]: 1 }));
    expect(error.path.length).toBeLessThan(70);
    expect(error.message.length).toBeLessThan(400);
  });

  it('does not split a surrogate pair when shortening a quoted value', () => {
    const value = `${'a'.repeat(56)}😀${'b'.repeat(10)}`;
    const [error] = errorsOf(event('LeadStageChanged', { leadId: 'L', stage: value }));
    expect(error.message).toContain(`"${'a'.repeat(56)}..."`);
  });
});

describe('validateEvent: properties', () => {
  const checkResult = (input: unknown) => {
    const result = validate(input);
    if (result.ok) return;
    expect(result.errors.length).toBeGreaterThan(0);
    expect(result.errors.length).toBeLessThanOrEqual(MAX_ERRORS_PER_EVENT);
    for (const error of result.errors) {
      expect(typeof error.path).toBe('string');
      expect(typeof error.message).toBe('string');
    }
  };

  it('never throws on any JSON value, and either accepts or gives 1 to 20 errors with paths', () => {
    fc.assert(fc.property(fc.jsonValue(), checkResult), { numRuns: 500 });
  });

  it('never throws on event-shaped values with arbitrary data, including odd strings', () => {
    const anyText = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('\u0000', '\ud800', 'x\udfff'));
    const anyValue = fc.oneof(fc.jsonValue(), anyText, fc.double(), fc.array(anyText));
    const shaped = fc.record(
      {
        id: fc.oneof(anyText, fc.integer()),
        type: fc.oneof(fc.constantFrom(...EVENT_TYPES), anyText),
        occurredAt: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), anyText),
        source: anyText,
        data: fc.dictionary(fc.oneof(fc.constantFrom('leadId', 'opportunityId', 'campaignId', 'amount', 'stage', 'periodStart', 'leadIds', 'attributes', 'timelineDays'), anyText), anyValue, { maxKeys: 40 }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(shaped, (input) => {
        checkResult(input);
        const result = validate(input);
        // What is accepted is storable: every text of the normalised event is NUL-free, well-formed Unicode.
        if (result.ok) expect(JSON.stringify(result.event)).not.toMatch(/\\u0000|\\ud[89ab][0-9a-f]{2}(?!\\ud[c-f])|(?<!\\ud[89ab][0-9a-f]{2})\\ud[c-f][0-9a-f]{2}/);
      }),
      { numRuns: 1000 },
    );
  });
});
