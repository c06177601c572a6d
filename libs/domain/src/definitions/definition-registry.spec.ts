import type { DefinitionEvent } from '@funnel/contracts';
import { shuffled } from '@funnel/testing';
import {
  applies,
  decide,
  DefinitionError,
  EMPTY_REGISTRY,
  evolveDefinitions,
  foldDefinitions,
  type DefinitionCommand,
  type DefinitionErrorCode,
  type DefinitionEventBody,
  resolveFields,
} from './definition-registry';
import { VERSION_ONE } from './funnel-definition';

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();
/** A logged definition event at `minute` (ids are unique per minute, which the tests keep). */
const logged = (minute: number, body: DefinitionEventBody): DefinitionEvent =>
  ({ id: `d${minute}`, occurredAt: at(minute), schemaVersion: 1, ...body }) as DefinitionEvent;

/** The error `f` throws; fails the test when it throws nothing. */
function errorOf(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error('expected a DefinitionError, but nothing was thrown');
}

/** Decider specification: given past events, when a command, then an event or a coded error. */
const given = (...events: DefinitionEvent[]) => ({
  when: (command: DefinitionCommand) => {
    const decided = () => decide(foldDefinitions(events), command);
    return {
      then: (expected: DefinitionEventBody) => expect(decided()).toEqual(expected),
      thenFails: (code: DefinitionErrorCode, field?: string) => {
        const error = errorOf(decided);
        expect(error).toBeInstanceOf(DefinitionError);
        expect(error).toMatchObject({ code, ...(field ? { field } : {}) });
      },
    };
  },
});

const defaultFields = resolveFields({ name: 'defaults' }, VERSION_ONE);
const drafted = (minute: number, draftId = 'D', fields = defaultFields) =>
  logged(minute, { type: 'FunnelDefinitionDrafted', data: { draftId, name: draftId, fields } });
const signed = (minute: number, team: 'MARKETING' | 'SALES', draftId = 'D') =>
  logged(minute, { type: 'FunnelDefinitionSignedOff', data: { draftId, team, by: team.toLowerCase() } });
const published = (minute: number, draftId = 'D') => logged(minute, { type: 'FunnelDefinitionPublished', data: { draftId } });
const updated = (minute: number, draftId = 'D') =>
  logged(minute, { type: 'FunnelDefinitionDraftUpdated', data: { draftId, name: `${draftId} edited`, fields: defaultFields } });

describe('definition decider', () => {
  it('given nothing, when a draft is created, then omitted criteria take the latest published values', () => {
    given().when({ kind: 'create', draftId: 'D', input: { name: 'v2', mqlMinScore: 70 } }).then({
      type: 'FunnelDefinitionDrafted',
      data: { draftId: 'D', name: 'v2', fields: { ...defaultFields, mqlMinScore: 70 } },
    });
  });

  it('given nothing, when a criterion is out of range, then INVALID_DEFINITION names the field', () => {
    given().when({ kind: 'create', draftId: 'D', input: { name: 'x', speedToLeadMinutes: 0 } }).thenFails('INVALID_DEFINITION', 'speedToLeadMinutes');
    given().when({ kind: 'create', draftId: 'D', input: { name: 'x', attributionHalfLifeDays: -1 } }).thenFails('INVALID_DEFINITION', 'attributionHalfLifeDays');
  });

  it('given a draft, when it is created again, then INVALID_DEFINITION names draftId', () => {
    given(drafted(1)).when({ kind: 'create', draftId: 'D', input: { name: 'again' } }).thenFails('INVALID_DEFINITION', 'draftId');
  });

  it('given a draft without both sign-offs, when it is published, then MISSING_SIGN_OFF', () => {
    given(drafted(1)).when({ kind: 'publish', draftId: 'D' }).thenFails('MISSING_SIGN_OFF', 'draftId');
    given(drafted(1), signed(2, 'MARKETING')).when({ kind: 'publish', draftId: 'D' }).thenFails('MISSING_SIGN_OFF');
  });

  it('given a MARKETING sign-off, when MARKETING signs again, then ALREADY_SIGNED', () => {
    given(drafted(1), signed(2, 'MARKETING'))
      .when({ kind: 'signOff', draftId: 'D', team: 'MARKETING', by: 'x' })
      .thenFails('ALREADY_SIGNED', 'team');
  });

  it('given both sign-offs, when it is published, then FunnelDefinitionPublished', () => {
    given(drafted(1), signed(2, 'MARKETING'), signed(3, 'SALES'))
      .when({ kind: 'publish', draftId: 'D' })
      .then({ type: 'FunnelDefinitionPublished', data: { draftId: 'D' } });
  });

  it('given a published draft, when it is edited, then DEFINITION_IMMUTABLE', () => {
    given(drafted(1), signed(2, 'MARKETING'), signed(3, 'SALES'), published(4))
      .when({ kind: 'update', draftId: 'D', input: { name: 'x' } })
      .thenFails('DEFINITION_IMMUTABLE', 'draftId');
  });

  it('given no such draft, when it is signed, then DRAFT_NOT_FOUND', () => {
    given().when({ kind: 'signOff', draftId: 'nope', team: 'SALES', by: 's' }).thenFails('DRAFT_NOT_FOUND', 'draftId');
  });
});

describe('definition fold', () => {
  it('given two sign-offs and a publish, the registry holds version 2 and the draft is published', () => {
    const r = foldDefinitions([drafted(1, 'D', { ...defaultFields, mqlMinScore: 70 }), signed(2, 'MARKETING'), signed(3, 'SALES'), published(4)]);
    expect(r.published.map((d) => [d.version, d.mqlMinScore])).toEqual([[1, 60], [2, 70]]);
    expect(r.drafts.get('D')).toMatchObject({ status: 'PUBLISHED', publishedVersion: 2, signOffs: [{ team: 'MARKETING' }, { team: 'SALES' }] });
  });

  it('an edit withdraws the sign-offs', () => {
    const r = foldDefinitions([drafted(1), signed(2, 'MARKETING'), updated(3)]);
    expect(r.drafts.get('D')).toMatchObject({ name: 'D edited', signOffs: [] });
  });

  describe('an event that lost a race changes nothing', () => {
    const log = [drafted(1), signed(2, 'MARKETING'), signed(3, 'SALES'), published(4)];
    const before = foldDefinitions(log);

    it.each([
      ['a second publish of the same draft (two clients at once)', published(5)],
      ['a second sign-off by the same team', signed(5, 'SALES')],
      ['a second draft with the same id', drafted(5)],
      ['an edit of a published draft', updated(5)],
    ])('%s', (_case, late) => {
      expect(applies(before, late)).toBe(false);
      expect(evolveDefinitions(before, late)).toBe(before);
    });

    it('a publish decided before an edit withdrew the sign-offs', () => {
      const edited = foldDefinitions([drafted(1), signed(2, 'MARKETING'), signed(3, 'SALES'), updated(4)]);
      expect(evolveDefinitions(edited, published(5))).toBe(edited);
    });
  });

  it('versions follow business time of publication in any delivery order', () => {
    const log = [
      ...[drafted(1, 'A'), signed(2, 'MARKETING', 'A'), signed(3, 'SALES', 'A'), published(4, 'A')],
      ...[drafted(11, 'B'), signed(12, 'MARKETING', 'B'), signed(13, 'SALES', 'B'), published(14, 'B')],
      published(30, 'A'),
    ];
    const inOrder = foldDefinitions(log);
    expect(inOrder.published.map((d) => [d.version, d.name])).toEqual([[1, VERSION_ONE.name], [2, 'A'], [3, 'B']]);
    for (const seed of [1, 2, 3]) expect(foldDefinitions(shuffled(log, seed))).toEqual(inOrder);
  });

  it('starts from version 1 (DESIGN defaults)', () => {
    expect(foldDefinitions([])).toEqual(EMPTY_REGISTRY);
  });
});

describe('SLA working hours in a definition', () => {
  const office = { days: ['MON', 'TUE', 'WED', 'THU', 'FRI'] as const, start: '09:00', end: '17:30' };

  it('carries working hours and zone into later drafts until a draft removes them with null', () => {
    const withHours = resolveFields({ name: 'office', workingHours: office, timeZone: 'Europe/Berlin' }, VERSION_ONE);
    expect(withHours).toMatchObject({ workingHours: office, timeZone: 'Europe/Berlin' });
    expect(resolveFields({ name: 'later' }, { ...VERSION_ONE, ...withHours })).toMatchObject({ workingHours: office, timeZone: 'Europe/Berlin' });
    const cleared = resolveFields({ name: 'calendar', workingHours: null }, { ...VERSION_ONE, ...withHours });
    expect(cleared.workingHours).toBeUndefined();
    // Version 1 has neither: its fields keep their exact shape.
    expect('workingHours' in defaultFields || 'timeZone' in defaultFields).toBe(false);
  });

  it('rejects an unknown zone and a window that ends before it starts, naming the field', () => {
    given().when({ kind: 'create', draftId: 'z', input: { name: 'z', timeZone: 'Europe/Atlantis' } }).thenFails('INVALID_DEFINITION', 'timeZone');
    given()
      .when({ kind: 'create', draftId: 'w', input: { name: 'w', workingHours: { ...office, start: '18:00' } } })
      .thenFails('INVALID_DEFINITION', 'workingHours');
  });
});
