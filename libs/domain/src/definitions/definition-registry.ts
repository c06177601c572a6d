import type { DefinitionEvent, DefinitionFieldsData } from '@funnel/contracts';
import { compareStamps } from '../state/stamp';
import { slaCalendarOf, slaCalendarProblem } from '../funnel/sla-calendar';
import {
  DEFAULT_DEFINITION_FIELDS,
  VERSION_ONE,
  type FunnelDefinition,
  type FunnelDefinitionFields,
  type SignOff,
  type Team,
} from './funnel-definition';

/**
 * The definition lifecycle as a decider: `decide` turns a command into an event or a coded
 * error, `evolveDefinitions` folds events into the registry without deciding again. An event
 * that lost a race (two publishes at once) changes nothing (`applies`), and versions are
 * numbered in business-time order of publication whatever order the log delivered them in.
 */

export type DraftStatus = 'DRAFT' | 'PUBLISHED' | 'DISCARDED';

export interface DefinitionDraft extends FunnelDefinitionFields {
  readonly id: string;
  readonly name: string;
  readonly status: DraftStatus;
  readonly signOffs: readonly SignOff[];
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly createdBy?: string;
  readonly publishedVersion?: number;
}

export interface DefinitionRegistry {
  readonly drafts: ReadonlyMap<string, DefinitionDraft>;
  /** Published versions in version order; version 1 (DESIGN defaults) always first. */
  readonly published: readonly FunnelDefinition[];
}

export const EMPTY_REGISTRY: DefinitionRegistry = { drafts: new Map(), published: [VERSION_ONE] };

export type DefinitionErrorCode =
  | 'INVALID_DEFINITION'
  | 'DRAFT_NOT_FOUND'
  | 'DEFINITION_IMMUTABLE'
  | 'DRAFT_DISCARDED'
  | 'ALREADY_SIGNED'
  | 'MISSING_SIGN_OFF'
  | 'DEFINITION_NOT_FOUND';

export class DefinitionError extends Error {
  constructor(
    readonly code: DefinitionErrorCode,
    message: string,
    /** The input field at fault, when there is one. */
    readonly field?: string,
  ) {
    super(message);
  }
}

/** `workingHours: null` removes the latest version's working hours (back to calendar minutes). */
export type DefinitionInput = Partial<Omit<FunnelDefinitionFields, 'workingHours'>> & {
  readonly name: string;
  readonly workingHours?: FunnelDefinitionFields['workingHours'] | null;
};

export type DefinitionCommand =
  | { readonly kind: 'create'; readonly draftId: string; readonly input: DefinitionInput; readonly by?: string }
  | { readonly kind: 'update'; readonly draftId: string; readonly input: DefinitionInput; readonly by?: string }
  | { readonly kind: 'signOff'; readonly draftId: string; readonly team: Team; readonly by: string }
  | { readonly kind: 'publish'; readonly draftId: string }
  | { readonly kind: 'discard'; readonly draftId: string; readonly by?: string };

export const latestPublished = (r: DefinitionRegistry): FunnelDefinition => r.published[r.published.length - 1];

/** Omitted fields take the latest published version's values; then every rule is checked. */
export function resolveFields(input: DefinitionInput, base: FunnelDefinitionFields): FunnelDefinitionFields {
  const pick = <K extends keyof FunnelDefinitionFields>(k: K) => (input[k] ?? base[k]) as FunnelDefinitionFields[K];
  const fields: FunnelDefinitionFields = {
    mqlMinScore: pick('mqlMinScore'),
    sqlRequireBudget: pick('sqlRequireBudget'),
    sqlRequireAuthority: pick('sqlRequireAuthority'),
    sqlRequireNeed: pick('sqlRequireNeed'),
    sqlMaxTimelineDays: pick('sqlMaxTimelineDays'),
    speedToLeadMinutes: pick('speedToLeadMinutes'),
    stallDaysDefault: pick('stallDaysDefault'),
    stallDays: pick('stallDays').map((s) => ({ stage: s.stage, days: s.days })),
    attributionLookbackDays: pick('attributionLookbackDays'),
    attributionHalfLifeDays: pick('attributionHalfLifeDays'),
    dispositions: [...pick('dispositions')],
    fallbackQueues: [...pick('fallbackQueues')],
    ...slaHoursOf(input, base),
  };
  checkDefinition(input.name, fields);
  return fields;
}

/** Working hours and zone: set only when given (here or in the base), so older versions keep their exact shape. */
function slaHoursOf(input: DefinitionInput, base: FunnelDefinitionFields): Pick<DefinitionFieldsData, 'workingHours' | 'timeZone'> {
  const hours = input.workingHours === null ? undefined : (input.workingHours ?? base.workingHours);
  const timeZone = input.timeZone ?? base.timeZone;
  return {
    ...(hours ? { workingHours: { days: [...hours.days], start: hours.start, end: hours.end } } : {}),
    ...(timeZone !== undefined ? { timeZone } : {}),
  };
}

/**
 * Inclusive ranges of the whole-number criteria (`stallDays` is each entry's `days`), and of the
 * name's length. checkDefinition enforces them; the GraphQL input validates against the same.
 */
export const DEFINITION_RANGES = {
  name: { min: 1, max: 200 },
  mqlMinScore: { min: 0, max: 100 },
  sqlMaxTimelineDays: { min: 0, max: 3650 },
  speedToLeadMinutes: { min: 1, max: 525_600 },
  stallDaysDefault: { min: 1, max: 3650 },
  stallDays: { min: 1, max: 3650 },
  attributionLookbackDays: { min: 1, max: 3650 },
} as const;
/** attributionHalfLifeDays is a real number in (0, this]. */
export const MAX_HALF_LIFE_DAYS = 3650;

/** Every range and vocabulary rule of a definition; throws INVALID_DEFINITION naming the field. */
export function checkDefinition(name: string, f: FunnelDefinitionFields): void {
  const bad = (field: string, rule: string) => {
    throw new DefinitionError('INVALID_DEFINITION', `${field} ${rule}`, field);
  };
  const int = (field: string, v: number, { min, max }: { min: number; max: number }) => {
    if (!Number.isInteger(v) || v < min || v > max) bad(field, `must be a whole number from ${min} to ${max}, got ${v}`);
  };
  const R = DEFINITION_RANGES;
  if (name.trim() === '' || name.length > R.name.max) bad('name', `must be ${R.name.min}–${R.name.max} characters`);
  int('mqlMinScore', f.mqlMinScore, R.mqlMinScore);
  int('sqlMaxTimelineDays', f.sqlMaxTimelineDays, R.sqlMaxTimelineDays);
  int('speedToLeadMinutes', f.speedToLeadMinutes, R.speedToLeadMinutes);
  int('stallDaysDefault', f.stallDaysDefault, R.stallDaysDefault);
  const stages = new Set<string>();
  f.stallDays.forEach((s, i) => {
    if (s.stage.trim() === '') bad(`stallDays[${i}].stage`, 'must not be empty');
    if (stages.has(s.stage)) bad(`stallDays[${i}].stage`, `"${s.stage}" is listed twice`);
    stages.add(s.stage);
    int(`stallDays[${i}].days`, s.days, R.stallDays);
  });
  int('attributionLookbackDays', f.attributionLookbackDays, R.attributionLookbackDays);
  if (!(f.attributionHalfLifeDays > 0 && f.attributionHalfLifeDays <= MAX_HALF_LIFE_DAYS)) {
    bad('attributionHalfLifeDays', `must be > 0 and <= ${MAX_HALF_LIFE_DAYS}, got ${f.attributionHalfLifeDays}`);
  }
  if (f.dispositions.length === 0) bad('dispositions', 'must list at least one disposition');
  if (new Set(f.dispositions).size !== f.dispositions.length) bad('dispositions', 'must not repeat a value');
  if (f.dispositions.some((d) => d.trim() === '')) bad('dispositions', 'must not contain an empty value');
  // An empty list is allowed: then no queue counts as "nobody owns this yet".
  if (new Set(f.fallbackQueues).size !== f.fallbackQueues.length) bad('fallbackQueues', 'must not repeat a value');
  if (f.fallbackQueues.some((q) => q.trim() === '')) bad('fallbackQueues', 'must not contain an empty value');
  const hours = slaCalendarProblem(slaCalendarOf(f));
  if (hours) bad(hours.field, hours.message);
}

/** The fields an event carries, with the ones it predates (fallbackQueues) at their defaults. */
const fieldsOf = (f: DefinitionFieldsData): FunnelDefinitionFields => ({ ...f, fallbackQueues: f.fallbackQueues ?? DEFAULT_DEFINITION_FIELDS.fallbackQueues });

/** Publishing needs one sign-off from each of these teams. */
const REQUIRED_TEAMS = ['MARKETING', 'SALES'] as const;
const missingSignOffs = (d: DefinitionDraft): Team[] => REQUIRED_TEAMS.filter((t) => signOffOf(d, t) === undefined);
const signOffOf = (d: DefinitionDraft, team: Team): SignOff | undefined => d.signOffs.find((s) => s.team === team);

function openDraft(r: DefinitionRegistry, draftId: string): DefinitionDraft {
  const d = r.drafts.get(draftId);
  if (!d) throw new DefinitionError('DRAFT_NOT_FOUND', `no draft ${draftId}`, 'draftId');
  if (d.status === 'PUBLISHED') {
    throw new DefinitionError(
      'DEFINITION_IMMUTABLE',
      `draft ${draftId} was published as version ${d.publishedVersion}; published versions are immutable, create a new draft`,
      'draftId',
    );
  }
  if (d.status === 'DISCARDED') throw new DefinitionError('DRAFT_DISCARDED', `draft ${draftId} was discarded`, 'draftId');
  return d;
}

export type DefinitionEventBody = Pick<DefinitionEvent, 'type' | 'data'>;

/** The event a command produces against the current registry, or a coded error naming the rule. */
export function decide(r: DefinitionRegistry, c: DefinitionCommand): DefinitionEventBody {
  switch (c.kind) {
    case 'create':
      if (r.drafts.has(c.draftId)) throw new DefinitionError('INVALID_DEFINITION', `draft ${c.draftId} already exists`, 'draftId');
      return {
        type: 'FunnelDefinitionDrafted',
        data: { draftId: c.draftId, name: c.input.name, fields: resolveFields(c.input, latestPublished(r)), ...(c.by ? { by: c.by } : {}) },
      };
    case 'update':
      openDraft(r, c.draftId);
      return {
        type: 'FunnelDefinitionDraftUpdated',
        data: { draftId: c.draftId, name: c.input.name, fields: resolveFields(c.input, latestPublished(r)), ...(c.by ? { by: c.by } : {}) },
      };
    case 'signOff': {
      const d = openDraft(r, c.draftId);
      const prior = signOffOf(d, c.team);
      if (prior) {
        throw new DefinitionError('ALREADY_SIGNED', `${c.team} already signed draft ${c.draftId} (by ${prior.by} at ${prior.at})`, 'team');
      }
      if (c.by.trim() === '') throw new DefinitionError('INVALID_DEFINITION', 'by must name who signs', 'by');
      return { type: 'FunnelDefinitionSignedOff', data: { draftId: c.draftId, team: c.team, by: c.by } };
    }
    case 'publish': {
      const d = openDraft(r, c.draftId);
      const missing = missingSignOffs(d);
      if (missing.length > 0) {
        throw new DefinitionError(
          'MISSING_SIGN_OFF',
          `draft ${c.draftId} needs sign-off by ${missing.join(' and ')} before it can be published (one MARKETING and one SALES)`,
          'draftId',
        );
      }
      return { type: 'FunnelDefinitionPublished', data: { draftId: c.draftId } };
    }
    case 'discard':
      openDraft(r, c.draftId);
      return { type: 'FunnelDefinitionDraftDiscarded', data: { draftId: c.draftId, ...(c.by ? { by: c.by } : {}) } };
  }
}

/**
 * Whether a logged event still applies. Every event was decided against the registry of its
 * time, so a rule can only fail here when a concurrent command got in first in business time
 * (two publishes at once, a sign-off or publish decided before an edit withdrew the sign-offs):
 * that event lost the race and changes nothing. The rules are the ones `decide` enforces.
 */
export function applies(r: DefinitionRegistry, e: DefinitionEvent): boolean {
  if (e.type === 'FunnelDefinitionDrafted') return !r.drafts.has(e.data.draftId);
  const d = r.drafts.get(e.data.draftId);
  if (d?.status !== 'DRAFT') return false;
  switch (e.type) {
    case 'FunnelDefinitionSignedOff':
      return signOffOf(d, e.data.team) === undefined;
    case 'FunnelDefinitionPublished':
      return missingSignOffs(d).length === 0;
    case 'FunnelDefinitionDraftUpdated':
    case 'FunnelDefinitionDraftDiscarded':
      return true;
  }
}

/** Applies one event: a pure fold step. An event that lost a race (see `applies`) returns `r` itself. */
export function evolveDefinitions(r: DefinitionRegistry, e: DefinitionEvent): DefinitionRegistry {
  if (!applies(r, e)) return r;
  const withDraft = (d: DefinitionDraft): DefinitionRegistry => ({ ...r, drafts: new Map(r.drafts).set(d.id, d) });
  if (e.type === 'FunnelDefinitionDrafted') {
    return withDraft({
      id: e.data.draftId, name: e.data.name, ...fieldsOf(e.data.fields), status: 'DRAFT', signOffs: [],
      createdAt: e.occurredAt, updatedAt: e.occurredAt, createdBy: e.data.by,
    });
  }
  const d = r.drafts.get(e.data.draftId) as DefinitionDraft; // present and open: `applies` checked
  switch (e.type) {
    case 'FunnelDefinitionDraftUpdated':
      // The teams signed the text as it was: an edit withdraws their sign-offs.
      return withDraft({ ...d, name: e.data.name, ...fieldsOf(e.data.fields), signOffs: [], updatedAt: e.occurredAt });
    case 'FunnelDefinitionSignedOff':
      return withDraft({ ...d, signOffs: [...d.signOffs, { team: e.data.team, by: e.data.by, at: e.occurredAt }], updatedAt: e.occurredAt });
    case 'FunnelDefinitionPublished': {
      const version = latestPublished(r).version + 1;
      const { id: _id, status: _s, createdAt: _c, updatedAt: _u, createdBy: _b, publishedVersion: _p, ...definition } = d;
      return {
        drafts: new Map(r.drafts).set(d.id, { ...d, status: 'PUBLISHED', publishedVersion: version, updatedAt: e.occurredAt }),
        published: [...r.published, { ...definition, version, publishedAt: e.occurredAt }],
      };
    }
    case 'FunnelDefinitionDraftDiscarded':
      return withDraft({ ...d, status: 'DISCARDED', updatedAt: e.occurredAt });
    default: {
      const unknown: never = e;
      return unknown;
    }
  }
}

/** The registry from all definition events, in business-time order. */
export function foldDefinitions(events: readonly DefinitionEvent[]): DefinitionRegistry {
  return [...events]
    .sort((a, b) => compareStamps({ at: a.occurredAt, id: a.id }, { at: b.occurredAt, id: b.id }))
    .reduce(evolveDefinitions, EMPTY_REGISTRY);
}

/** The version a report asks for (default: latest). */
export function definitionVersion(r: DefinitionRegistry, version?: number | null): FunnelDefinition {
  if (version === undefined || version === null) return latestPublished(r);
  const found = r.published.find((d) => d.version === version);
  if (!found) {
    throw new DefinitionError(
      'DEFINITION_NOT_FOUND',
      `no published definition version ${version}; published: ${r.published.map((d) => d.version).join(', ')}`,
      'definitionVersion',
    );
  }
  return found;
}
