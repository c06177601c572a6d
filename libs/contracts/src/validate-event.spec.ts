import fc from 'fast-check';
import { EVENT_TYPES, type FunnelEventType } from './events/funnel.events';
import { LEAD_STAGES } from './events/lead.events';
import { validateEvent } from './validate-event';
import { errorsOf, OCCURRED_AT, pathsOf, raw, validate } from './validate-event.fixtures';

const OCCURRED_AT_UTC = '2026-03-02T10:15:00.000Z';


function messageAt(input: unknown, path: string): string {
  const error = errorsOf(input).find((candidate) => candidate.path === path);
  if (!error) throw new Error(`no error at ${path}`);
  return error.message;
}

interface ValidCase {
  readonly data: Record<string, unknown>;
  /** The normalised data, when it differs from the input. */
  readonly normalised?: Record<string, unknown>;
}

// Keyed by every event type, so a type added to the catalogue without an example fails to compile.
const VALID: { readonly [K in FunnelEventType]: ValidCase } = {
  LeadCaptured: {
    data: {
      leadId: 'L-42',
      accountId: 'A-1',
      campaignId: 'C-7',
      channel: 'paid_search',
      ownerId: 'U-3',
      attributes: { segment: 'enterprise', region: 'EMEA', product: 'core', industry: 'saas', companySize: '201-500' },
      contact: { email: 'ana@example.com', name: 'Ana Lima', phone: '+55 11 5555-0100' },
    },
  },
  LeadTouched: { data: { leadId: 'L-42', campaignId: 'C-7', channel: 'email', touchType: 'email_click' } },
  LeadScored: { data: { leadId: 'L-42', score: 72.5, fit: 0.8, engagement: -3 } },
  LeadStageChanged: { data: { leadId: 'L-42', stage: 'MQL' } },
  LeadQualificationUpdated: { data: { leadId: 'L-42', budget: true, authority: false, need: true, timelineDays: 0 } },
  LeadAssigned: { data: { leadId: 'L-42', ownerId: 'U-3', queue: 'inbound-emea', rule: 'round-robin' } },
  LeadActivityLogged: { data: { leadId: 'L-42', ownerId: 'U-3', activityType: 'call' } },
  LeadDispositioned: { data: { leadId: 'L-42', disposition: 'no_timing', note: 'budget frozen until Q3' } },
  LeadRecycled: { data: { leadId: 'L-42', reason: 'nurture again next quarter' } },
  LeadConverted: { data: { leadId: 'L-42', opportunityId: 'O-9', accountId: 'A-1' } },
  OpportunityCreated: {
    data: { opportunityId: 'O-9', accountId: 'A-1', leadIds: ['L-42', 'L-43'], ownerId: 'U-3', amount: '25000.50', stage: 'discovery' },
    normalised: { opportunityId: 'O-9', accountId: 'A-1', leadIds: ['L-42', 'L-43'], ownerId: 'U-3', amount: 25000.5, stage: 'discovery' },
  },
  OpportunityStageChanged: { data: { opportunityId: 'O-9', stage: 'Proposal / Price Quote' } },
  OpportunityAmountChanged: { data: { opportunityId: 'O-9', amount: 30000 } },
  OpportunityNextStepSet: {
    data: { opportunityId: 'O-9', nextStep: 'Send the security questionnaire', dueAt: '2026-03-10T17:00:00+02:00' },
    normalised: { opportunityId: 'O-9', nextStep: 'Send the security questionnaire', dueAt: '2026-03-10T15:00:00.000Z' },
  },
  OpportunityStallAcknowledged: {
    data: { opportunityId: 'O-9', reason: 'champion on leave', resumeBy: '2026-04-01' },
    normalised: { opportunityId: 'O-9', reason: 'champion on leave', resumeBy: '2026-04-01T00:00:00.000Z' },
  },
  OpportunityWon: { data: { opportunityId: 'O-9', amount: 0 } },
  OpportunityLost: { data: { opportunityId: 'O-9', reason: 'no_decision' } },
  OpportunityReopened: { data: { opportunityId: 'O-9' } },
  CampaignLaunched: {
    data: { campaignId: 'C-7', name: 'Spring webinar series', channel: 'webinar', budget: '12000' },
    normalised: { campaignId: 'C-7', name: 'Spring webinar series', channel: 'webinar', budget: 12000 },
  },
  CampaignCostRecorded: {
    data: { campaignId: 'C-7', amount: 1999.99, periodStart: '2026-03-01', periodEnd: '2026-03-31T23:59:59.999Z' },
    normalised: {
      campaignId: 'C-7',
      amount: 1999.99,
      periodStart: '2026-03-01T00:00:00.000Z',
      periodEnd: '2026-03-31T23:59:59.999Z',
    },
  },
};

describe('validateEvent: a valid example of every event type', () => {
  it('covers the whole catalogue', () => {
    expect(Object.keys(VALID).sort()).toEqual([...EVENT_TYPES].sort());
  });

  it.each(Object.entries(VALID))('accepts %s and normalises it', (type, { data, normalised }) => {
    expect(validate(raw(type, data))).toEqual({
      ok: true,
      event: { id: 'evt-1', type, occurredAt: OCCURRED_AT_UTC, schemaVersion: 1, data: normalised ?? data },
    });
  });

  it('accepts the minimal form of each type, with only the required fields', () => {
    const minimal: Record<string, unknown> = {
      LeadCaptured: { leadId: 'L-1' },
      LeadScored: { leadId: 'L-1', score: 0 },
      LeadQualificationUpdated: { leadId: 'L-1' },
      LeadActivityLogged: { leadId: 'L-1', activityType: 'other' },
      OpportunityCreated: { opportunityId: 'O-1', amount: 0 },
      OpportunityWon: { opportunityId: 'O-1' },
      CampaignLaunched: { campaignId: 'C-1', name: 'n', channel: 'c' },
    };
    for (const [type, data] of Object.entries(minimal)) {
      expect(validate(raw(type, data))).toMatchObject({ ok: true, event: { data } });
    }
  });

  it('treats null in an optional field as absent, as CRM exports write it', () => {
    const result = validate(raw('LeadCaptured', { leadId: 'L-1', campaignId: null, attributes: { region: null } }));
    expect(result).toMatchObject({ ok: true, event: { data: { leadId: 'L-1', attributes: {} } } });
    expect(result.ok && 'campaignId' in result.event.data).toBe(false);
  });
});

describe('validateEvent: invalid data of every event type', () => {
  // [what is wrong, type, data, the error paths expected]
  const cases: ReadonlyArray<readonly [string, FunnelEventType, unknown, string[]]> = [
    ['missing leadId', 'LeadCaptured', { campaignId: 'C-1' }, ['data.leadId']],
    ['numeric leadId', 'LeadCaptured', { leadId: 42 }, ['data.leadId']],
    ['unknown attribute', 'LeadCaptured', { leadId: 'L-1', attributes: { sector: 'x' } }, ['data.attributes.sector']],
    ['non-text attribute', 'LeadCaptured', { leadId: 'L-1', attributes: { region: 3 } }, ['data.attributes.region']],
    ['attributes not an object', 'LeadCaptured', { leadId: 'L-1', attributes: 'EMEA' }, ['data.attributes']],
    ['unknown contact field', 'LeadCaptured', { leadId: 'L-1', contact: { mail: 'a@b.c' } }, ['data.contact.mail']],
    ['a sealed contact from outside', 'LeadCaptured', { leadId: 'L-1', contact: { sealed: 'v1.a.b.c' } }, ['data.contact.sealed']],
    ['numeric phone', 'LeadCaptured', { leadId: 'L-1', contact: { phone: 5550100 } }, ['data.contact.phone']],
    ['blank name', 'LeadCaptured', { leadId: 'L-1', contact: { name: ' ' } }, ['data.contact.name']],
    ['email over 254 characters', 'LeadCaptured', { leadId: 'L-1', contact: { email: `${'a'.repeat(250)}@b.co` } }, ['data.contact.email']],
    ['name over 200 characters', 'LeadCaptured', { leadId: 'L-1', contact: { name: 'n'.repeat(201) } }, ['data.contact.name']],
    ['phone over 64 characters', 'LeadCaptured', { leadId: 'L-1', contact: { phone: '1'.repeat(65) } }, ['data.contact.phone']],
    ['contact not an object', 'LeadCaptured', { leadId: 'L-1', contact: 'ana@example.com' }, ['data.contact']],
    ['bad touchType', 'LeadTouched', { leadId: 'L-1', channel: 'ads', touchType: 'banner' }, ['data.touchType']],
    ['missing channel', 'LeadTouched', { leadId: 'L-1', touchType: 'ad_click' }, ['data.channel']],
    ['score above 100', 'LeadScored', { leadId: 'L-1', score: 120 }, ['data.score']],
    ['score as text', 'LeadScored', { leadId: 'L-1', score: '80' }, ['data.score']],
    ['fit not a number', 'LeadScored', { leadId: 'L-1', score: 50, fit: 'high' }, ['data.fit']],
    ['lower-case stage', 'LeadStageChanged', { leadId: 'L-1', stage: 'mql' }, ['data.stage']],
    ['missing stage', 'LeadStageChanged', { leadId: 'L-1' }, ['data.stage']],
    ['budget as text', 'LeadQualificationUpdated', { leadId: 'L-1', budget: 'yes' }, ['data.budget']],
    ['fractional timelineDays', 'LeadQualificationUpdated', { leadId: 'L-1', timelineDays: 1.5 }, ['data.timelineDays']],
    ['negative timelineDays', 'LeadQualificationUpdated', { leadId: 'L-1', timelineDays: -1 }, ['data.timelineDays']],
    ['missing ownerId', 'LeadAssigned', { leadId: 'L-1', queue: 'q' }, ['data.ownerId']],
    ['empty queue', 'LeadAssigned', { leadId: 'L-1', ownerId: 'U-1', queue: ' ' }, ['data.queue']],
    ['bad activityType', 'LeadActivityLogged', { leadId: 'L-1', activityType: 'sms' }, ['data.activityType']],
    ['bad disposition', 'LeadDispositioned', { leadId: 'L-1', disposition: 'spam' }, ['data.disposition']],
    ['numeric note', 'LeadDispositioned', { leadId: 'L-1', disposition: 'other', note: 5 }, ['data.note']],
    ['numeric reason', 'LeadRecycled', { leadId: 'L-1', reason: 7 }, ['data.reason']],
    ['missing opportunityId', 'LeadConverted', { leadId: 'L-1' }, ['data.opportunityId']],
    ['negative amount', 'OpportunityCreated', { opportunityId: 'O-1', amount: -5 }, ['data.amount']],
    ['missing amount', 'OpportunityCreated', { opportunityId: 'O-1' }, ['data.amount']],
    ['blank lead id in leadIds', 'OpportunityCreated', { opportunityId: 'O-1', amount: 1, leadIds: ['L-1', 'L-2', ''] }, ['data.leadIds[2]']],
    ['leadIds not a list', 'OpportunityCreated', { opportunityId: 'O-1', amount: 1, leadIds: 'L-1' }, ['data.leadIds']],
    ['empty stage', 'OpportunityStageChanged', { opportunityId: 'O-1', stage: '' }, ['data.stage']],
    ['amount with a thousands separator', 'OpportunityAmountChanged', { opportunityId: 'O-1', amount: '1,000' }, ['data.amount']],
    ['typo amout', 'OpportunityAmountChanged', { opportunityId: 'O-1', amout: 10 }, ['data.amount', 'data.amout']],
    ['dueAt without offset', 'OpportunityNextStepSet', { opportunityId: 'O-1', nextStep: 'call', dueAt: '2026-03-10T09:00:00' }, ['data.dueAt']],
    ['missing nextStep', 'OpportunityNextStepSet', { opportunityId: 'O-1', dueAt: '2026-03-10' }, ['data.nextStep']],
    ['impossible resumeBy', 'OpportunityStallAcknowledged', { opportunityId: 'O-1', reason: 'r', resumeBy: '2026-02-30' }, ['data.resumeBy']],
    ['missing reason', 'OpportunityStallAcknowledged', { opportunityId: 'O-1', resumeBy: '2026-04-01' }, ['data.reason']],
    ['negative amount as text', 'OpportunityWon', { opportunityId: 'O-1', amount: '-100' }, ['data.amount']],
    ['infinite amount', 'OpportunityWon', { opportunityId: 'O-1', amount: Infinity }, ['data.amount']],
    ['NaN amount', 'OpportunityWon', { opportunityId: 'O-1', amount: NaN }, ['data.amount']],
    ['bad lost reason', 'OpportunityLost', { opportunityId: 'O-1', reason: 'budget' }, ['data.reason']],
    ['unknown field', 'OpportunityReopened', { opportunityId: 'O-1', reason: 'x' }, ['data.reason']],
    ['missing opportunityId', 'OpportunityReopened', {}, ['data.opportunityId']],
    ['negative budget', 'CampaignLaunched', { campaignId: 'C-1', name: 'n', channel: 'c', budget: -1 }, ['data.budget']],
    ['missing name', 'CampaignLaunched', { campaignId: 'C-1', channel: 'c' }, ['data.name']],
    ['periodEnd before periodStart', 'CampaignCostRecorded', { campaignId: 'C-1', amount: 1, periodStart: '2026-03-31', periodEnd: '2026-03-01' }, ['data.periodEnd']],
    ['amount not a number', 'CampaignCostRecorded', { campaignId: 'C-1', amount: 'abc', periodStart: '2026-03-01', periodEnd: '2026-03-31' }, ['data.amount']],
  ];

  it.each(cases)('rejects %s (%s)', (_what, type, data, paths) => {
    expect(pathsOf(raw(type, data)).sort()).toEqual([...paths].sort());
  });

  it('has an invalid example for every type', () => {
    expect(new Set(cases.map(([, type]) => type))).toEqual(new Set(EVENT_TYPES));
  });

  it('names the bad enum value and lists the allowed ones', () => {
    expect(messageAt(raw('LeadStageChanged', { leadId: 'L-1', stage: 'mql' }), 'data.stage')).toBe(
      'data.stage must be one of: MQL, SAL, SQL (got "mql")',
    );
    expect(messageAt(raw('OpportunityLost', { opportunityId: 'O-1', reason: 'budget' }), 'data.reason')).toBe(
      'data.reason must be one of: competitor, no_decision, price, timing, no_budget, other, review_eliminated (got "budget")',
    );
  });

  it('explains amounts, missing fields, numeric ids and typos in plain words', () => {
    expect(messageAt(raw('OpportunityCreated', { opportunityId: 'O-1', amount: -5 }), 'data.amount')).toBe(
      'data.amount must not be negative (got -5)',
    );
    expect(messageAt(raw('OpportunityCreated', { opportunityId: 'O-1' }), 'data.amount')).toBe('data.amount is required');
    expect(messageAt(raw('LeadStageChanged', { leadId: 42, stage: 'MQL' }), 'data.leadId')).toBe(
      'data.leadId must be text; send 42 as "42"',
    );
    expect(messageAt(raw('OpportunityAmountChanged', { opportunityId: 'O-1', amout: 10 }), 'data.amout')).toBe(
      'data.amout is not a field of OpportunityAmountChanged data; expected: opportunityId, amount',
    );
  });

  it('reports the period order only once both dates are valid', () => {
    const data = { campaignId: 'C-1', amount: 1, periodStart: 'soon', periodEnd: '2026-03-01' };
    expect(pathsOf(raw('CampaignCostRecorded', data))).toEqual(['data.periodStart']);
    expect(validate(raw('CampaignCostRecorded', { ...data, periodStart: '2026-03-01T00:00:00+00:00' })).ok).toBe(true);
  });

  it('rejects keys inherited from Object.prototype as unknown fields', () => {
    const input = JSON.parse('{"leadId":"L-1","stage":"MQL","constructor":1,"__proto__":{"x":1}}');
    expect(pathsOf(raw('LeadStageChanged', input)).sort()).toEqual(['data.__proto__', 'data.constructor']);
  });
});

describe('validateEvent: envelope', () => {
  const stageChanged = (extra: Record<string, unknown>) => raw('LeadStageChanged', { leadId: 'L-1', stage: 'SAL' }, extra);
  const occurredAtOf = (occurredAt: string) => {
    const result = validate(stageChanged({ occurredAt }));
    return result.ok ? result.event.occurredAt : result.errors;
  };

  it.each([
    ['2026-03-02T10:15:00+01:00', '2026-03-02T09:15:00.000Z'],
    ['2026-03-02T10:15:00-05:30', '2026-03-02T15:45:00.000Z'],
    ['2026-03-02T00:15+02:00', '2026-03-01T22:15:00.000Z'],
    ['2026-03-02T10:15:00.1239Z', '2026-03-02T10:15:00.123Z'],
    ['2026-03-02T10:15:00.5+00:00', '2026-03-02T10:15:00.500Z'],
    ['2024-02-29T23:00:00-01:00', '2024-03-01T00:00:00.000Z'],
    ['2026-03-02t10:15:00z', '2026-03-02T10:15:00.000Z'],
  ])('normalises occurredAt %s to UTC %s', (input, expected) => {
    expect(occurredAtOf(input)).toBe(expected);
  });

  it('rejects an occurredAt without a time zone', () => {
    expect(messageAt(stageChanged({ occurredAt: '2026-03-02T10:15:00' }), 'occurredAt')).toBe(
      'occurredAt "2026-03-02T10:15:00" has no time zone; end it with Z for UTC or an offset such as +01:00',
    );
  });

  it.each(['2026-02-30T10:00:00Z', '2025-02-29T10:00:00Z', '2026-13-01T10:00:00Z', '2026-03-02T24:00:00Z', '2026-03-02T10:60:00Z', '2026-03-02T10:15:60Z', '2026-03-02T10:15:00+24:00'])(
    'rejects the impossible occurredAt %s',
    (occurredAt) => {
      expect(messageAt(stageChanged({ occurredAt }), 'occurredAt')).toMatch(/is not a real calendar date and time$/);
    },
  );

  it.each(['yesterday', '2026-03-02T10:15:00+0100', '02/03/2026 10:15Z', '1772446500000'])('rejects the unparseable occurredAt %s', (occurredAt) => {
    expect(messageAt(stageChanged({ occurredAt }), 'occurredAt')).toMatch(/is not an ISO-8601 date-time/);
  });

  it('rejects a date-only occurredAt, which data dates allow', () => {
    expect(messageAt(stageChanged({ occurredAt: '2026-03-02' }), 'occurredAt')).toMatch(/needs a time and a time zone/);
    expect(pathsOf(stageChanged({ occurredAt: 1772446500000 }))).toEqual(['occurredAt']);
  });

  it('takes ids of 1 to 128 characters', () => {
    expect(validate(stageChanged({ id: 'x'.repeat(128) })).ok).toBe(true);
    expect(validate(stageChanged({ id: 'x' })).ok).toBe(true);
    expect(messageAt(stageChanged({ id: 'x'.repeat(129) }), 'id')).toBe('id must be at most 128 characters (got 129)');
    expect(messageAt(stageChanged({ id: '' }), 'id')).toBe('id must not be empty');
    expect(pathsOf(stageChanged({ id: undefined }))).toEqual(['id']);
  });

  it('echoes a string id on rejection so the caller can report it, and only a string one', () => {
    expect(validate(stageChanged({ id: 'x'.repeat(129) }))).toMatchObject({ ok: false, id: 'x'.repeat(129) });
    const numeric = validate(stageChanged({ id: 7 }));
    expect(numeric.ok).toBe(false);
    expect('id' in numeric).toBe(false);
  });

  it('rejects an unknown type, naming it and listing the known ones', () => {
    const message = messageAt(raw('LeadCreated', { leadId: 'L-1' }), 'type');
    expect(message).toMatch(/^type "LeadCreated" is not a known event type; use one of: LeadCaptured, LeadTouched, /);
    for (const type of EVENT_TYPES) expect(message).toContain(type);
    expect(pathsOf(raw('LeadCreated', { leadId: 'L-1' }))).toEqual(['type']);
    expect(pathsOf({ id: 'e', occurredAt: OCCURRED_AT, data: {} })).toEqual(['type']);
  });

  it('refuses the derived SLA breach and the definition events by name', () => {
    const breach = raw('LeadSlaBreached', { leadId: 'L-1', level: 'BREACHED', deadline: OCCURRED_AT, definitionVersion: 1 });
    expect(messageAt(breach, 'type')).toBe('type "LeadSlaBreached" is written only by the SLA breach checker and is not accepted from outside');
    expect(messageAt(raw('FunnelDefinitionPublished', { draftId: 'd' }), 'type')).toMatch(/written only by the funnel definition mutations/);
  });

  it('accepts the reporting currency and rejects any other until FX exists', () => {
    expect(validate(stageChanged({ currency: 'USD' }))).toMatchObject({ ok: true, event: { currency: 'USD' } });
    expect(validate(stageChanged({ currency: 'usd' }))).toMatchObject({ ok: true, event: { currency: 'USD' } });
    expect(messageAt(stageChanged({ currency: 'EUR' }), 'currency')).toBe(
      'currency "EUR" is not accepted: amounts must be in USD, the reporting currency, until currency conversion (FX) exists',
    );
    expect(validateEvent(stageChanged({ currency: 'EUR' }), { reportingCurrency: 'EUR' }).ok).toBe(true);
  });

  it('defaults schemaVersion to 1 and supports only 1', () => {
    expect(validate(stageChanged({}))).toMatchObject({ ok: true, event: { schemaVersion: 1 } });
    expect(validate(stageChanged({ schemaVersion: 1 }))).toMatchObject({ ok: true, event: { schemaVersion: 1 } });
    expect(messageAt(stageChanged({ schemaVersion: 2 }), 'schemaVersion')).toBe(
      'schemaVersion 2 is not supported; this server accepts schemaVersion 1',
    );
    expect(pathsOf(stageChanged({ schemaVersion: '1' }))).toEqual(['schemaVersion']);
  });

  it('keeps source as given and requires it to be text', () => {
    expect(validate(stageChanged({ source: 'hubspot-webhook' }))).toMatchObject({ ok: true, event: { source: 'hubspot-webhook' } });
    expect(pathsOf(stageChanged({ source: { crm: 'hubspot' } }))).toEqual(['source']);
  });

  it('rejects unknown top-level fields', () => {
    expect(messageAt(stageChanged({ occuredAt: OCCURRED_AT }), 'occuredAt')).toBe(
      'occuredAt is not a field of an event; expected: id, type, occurredAt, schemaVersion, source, currency, data',
    );
  });

  it('requires data to be an object', () => {
    expect(pathsOf(raw('LeadStageChanged', ['L-1', 'MQL']))).toEqual(['data']);
    expect(pathsOf({ id: 'e', type: 'OpportunityReopened', occurredAt: OCCURRED_AT })).toEqual(['data']);
  });

  it.each([null, [], 'evt-1', 42])('rejects %p as an event', (input) => {
    expect(validate(input)).toEqual({ ok: false, errors: [{ path: '', message: expect.stringMatching(/^each event must be an object/) }] });
  });

  it('reports every problem of an event at once', () => {
    const result = validate({
      id: 'evt-9',
      type: 'OpportunityCreated',
      occurredAt: '2026-03-02T10:15:00',
      schemaVersion: 3,
      currency: 'GBP',
      data: { opportunityId: '', amount: -1, leadIds: ['L-1', 5], stage: 'discovery', amout: 3 },
      extra: true,
    });
    if (result.ok) throw new Error('expected a rejection');
    expect(result.id).toBe('evt-9');
    expect(result.errors.map((error) => error.path).sort()).toEqual(
      ['currency', 'data.amount', 'data.amout', 'data.leadIds[1]', 'data.opportunityId', 'extra', 'occurredAt', 'schemaVersion'].sort(),
    );
  });

  it('checks the data even when the envelope is broken', () => {
    expect(pathsOf(raw('LeadStageChanged', { leadId: 'L-1', stage: 'XQL' }, { id: '' })).sort()).toEqual(['data.stage', 'id']);
  });
});

describe('validateEvent: properties', () => {
  const MINUTE = 60_000;
  const offsetText = (minutes: number) => {
    const abs = Math.abs(minutes);
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${minutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  };

  it('round-trips any valid LeadStageChanged and normalises its occurredAt to UTC', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 128 }).filter((s) => s.trim() !== ''),
        fc.string({ minLength: 1, maxLength: 128 }).filter((s) => s.trim() !== ''),
        fc.constantFrom(...LEAD_STAGES),
        fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('9000-12-31T23:59:59.999Z'), noInvalidDate: true }),
        fc.integer({ min: -14 * 60, max: 14 * 60 }),
        (id, leadId, stage, instant, offsetMinutes) => {
          const local = new Date(instant.getTime() + offsetMinutes * MINUTE).toISOString().slice(0, -1);
          const input = { id, type: 'LeadStageChanged', occurredAt: `${local}${offsetText(offsetMinutes)}`, data: { leadId, stage } };

          const result = validate(input);
          const expected = { id, type: 'LeadStageChanged', occurredAt: instant.toISOString(), schemaVersion: 1, data: { leadId, stage } };
          expect(result).toEqual({ ok: true, event: expected });
          // A normalised event is a fixed point: the log can re-validate what it stored.
          expect(validate(expected)).toEqual({ ok: true, event: expected });
        },
      ),
    );
  });
});
