import type { DefinitionEvent } from '@funnel/contracts';
import { shuffled } from '@funnel/testing';
import { decide, DefinitionError, EMPTY_REGISTRY, evolveDefinitions, foldDefinitions, type DefinitionCommand } from './definition-registry';

let n = 0;
const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();
/** Decides a command and wraps the result as a logged event at `minute`. */
function run(events: DefinitionEvent[], minute: number, c: DefinitionCommand): DefinitionEvent[] {
  const body = decide(foldDefinitions(events), c);
  return [...events, { id: `d${++n}`, occurredAt: at(minute), schemaVersion: 1, ...body } as DefinitionEvent];
}
const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as DefinitionError).code;
  }
  return undefined;
};

describe('definition registry', () => {
  it('given a draft, publishing needs one MARKETING and one SALES sign-off and yields version 2', () => {
    let log = run([], 1, { kind: 'create', draftId: 'D', input: { name: 'v2', mqlMinScore: 70 } });
    expect(codeOf(() => decide(foldDefinitions(log), { kind: 'publish', draftId: 'D' }))).toBe('MISSING_SIGN_OFF');
    log = run(log, 2, { kind: 'signOff', draftId: 'D', team: 'MARKETING', by: 'm' });
    expect(codeOf(() => decide(foldDefinitions(log), { kind: 'signOff', draftId: 'D', team: 'MARKETING', by: 'x' }))).toBe('ALREADY_SIGNED');
    expect(codeOf(() => decide(foldDefinitions(log), { kind: 'publish', draftId: 'D' }))).toBe('MISSING_SIGN_OFF');
    log = run(log, 3, { kind: 'signOff', draftId: 'D', team: 'SALES', by: 's' });
    log = run(log, 4, { kind: 'publish', draftId: 'D' });
    const r = foldDefinitions(log);
    expect(r.published.map((d) => [d.version, d.mqlMinScore])).toEqual([[1, 60], [2, 70]]);
    expect(r.drafts.get('D')).toMatchObject({ status: 'PUBLISHED', publishedVersion: 2 });
    expect(codeOf(() => decide(r, { kind: 'update', draftId: 'D', input: { name: 'x' } }))).toBe('DEFINITION_IMMUTABLE');
  });

  it('rejects out-of-range criteria naming the field', () => {
    expect(codeOf(() => decide(EMPTY_REGISTRY, { kind: 'create', draftId: 'D', input: { name: 'x', speedToLeadMinutes: 0 } }))).toBe('INVALID_DEFINITION');
    try {
      decide(EMPTY_REGISTRY, { kind: 'create', draftId: 'D', input: { name: 'x', attributionHalfLifeDays: -1 } });
    } catch (e) {
      expect((e as DefinitionError).field).toBe('attributionHalfLifeDays');
    }
  });

  it('an event that lost a race changes nothing, and versions follow business time in any delivery order', () => {
    let log: DefinitionEvent[] = [];
    for (const [i, d] of ['A', 'B'].entries()) {
      log = run(log, 10 * i + 1, { kind: 'create', draftId: d, input: { name: d } });
      log = run(log, 10 * i + 2, { kind: 'signOff', draftId: d, team: 'MARKETING', by: 'm' });
      log = run(log, 10 * i + 3, { kind: 'signOff', draftId: d, team: 'SALES', by: 's' });
      log = run(log, 10 * i + 4, { kind: 'publish', draftId: d });
    }
    // A duplicate publish of A (two clients at once) is ignored by the fold.
    const raced = [...log, { ...log[3], id: 'late-duplicate', occurredAt: at(30) }];
    const expected = foldDefinitions(log);
    expect(foldDefinitions(raced).published.map((d) => d.name)).toEqual(['Default funnel (DESIGN defaults)', 'A', 'B']);
    expect(foldDefinitions(shuffled(raced, 3))).toEqual(foldDefinitions(raced));
    expect(foldDefinitions(raced)).toEqual(expected);
    expect(evolveDefinitions(expected, log[3])).toBe(expected);
  });
});
