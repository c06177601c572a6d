import type { FieldError } from './envelope';

/** A JSON Schema (draft 2020-12) fragment. */
export type JsonSchema = { readonly [keyword: string]: unknown };

/**
 * Checks one present value. Returns it normalised, or pushes at least one error (paths start
 * with `path`) and returns undefined.
 */
export type CheckFn<T> = (value: unknown, path: string, errors: FieldError[]) => T | undefined;

/**
 * A check together with the JSON Schema of the values it accepts, declared side by side so the
 * published schema (docs/schema/events.schema.json, the OpenAPI document) is generated from the
 * very checks ingest runs. Where JSON Schema cannot say a rule (a real calendar date, the
 * configured currency), the schema is the looser of the two and the check decides.
 */
export type FieldCheck<T> = CheckFn<T> & { readonly schema: JsonSchema };

export const check = <T>(schema: JsonSchema, fn: CheckFn<T>): FieldCheck<T> => Object.assign(fn, { schema });

export interface FieldSpec<T> {
  readonly check: FieldCheck<T>;
  readonly optional: boolean;
}

/**
 * One spec per field of `D`, and only those: the compiler rejects a table that misses a field,
 * names one that does not exist, gets its optionality wrong or checks it into the wrong type.
 */
export type FieldSpecs<D> = {
  readonly [K in keyof D]-?: undefined extends D[K]
    ? FieldSpec<Exclude<D[K], undefined>> & { readonly optional: true }
    : FieldSpec<D[K]> & { readonly optional: false };
};

type LooseFieldSpecs = Readonly<Record<string, FieldSpec<unknown>>>;

export const required = <T>(check: FieldCheck<T>) => ({ check, optional: false as const });
export const optional = <T>(check: FieldCheck<T>) => ({ check, optional: true as const });

export const MAX_ID_LENGTH = 128;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** How a rejected value is quoted back in a message, kept short so one bad field cannot flood the response. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/** Records an error whose message starts with the path, so it reads on its own in a CSV import log. */
export const fail = (errors: FieldError[], path: string, message: string): undefined => {
  errors.push({ path, message: `${path} ${message}` });
  return undefined;
};

const childPath = (path: string, key: string) => (path === '' ? key : `${path}.${key}`);

/**
 * Checks every field of `record` against `specs` and returns the valid ones, normalised, in spec
 * order. `label` names the object in the message for an unknown field.
 */
export function checkFields(
  specs: LooseFieldSpecs,
  record: Record<string, unknown>,
  path: string,
  label: string,
  errors: FieldError[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(specs)) {
    const fieldPath = childPath(path, key);
    const value = Object.hasOwn(record, key) ? record[key] : undefined;
    // CRM exports write null for an empty optional field; it means the same as leaving it out.
    if (value === undefined || value === null) {
      if (!spec.optional) fail(errors, fieldPath, 'is required');
      continue;
    }
    const checked = spec.check(value, fieldPath, errors);
    if (checked !== undefined) out[key] = checked;
  }
  for (const key of Object.keys(record)) {
    // Rejected rather than dropped: a typo such as `amout` would otherwise lose the amount silently.
    if (!Object.hasOwn(specs, key)) {
      fail(errors, childPath(path, key), `is not a field of ${label}; expected: ${Object.keys(specs).join(', ')}`);
    }
  }
  return out;
}

/**
 * The schema of an object checked by `checkFields`: exactly the spec's fields, the required ones
 * required; an optional field may also be null, which `checkFields` reads as absent.
 */
export function objectSchema(specs: LooseFieldSpecs, extra: JsonSchema = {}): JsonSchema {
  const properties = Object.fromEntries(
    Object.entries(specs).map(([key, spec]) => [key, spec.optional ? { anyOf: [spec.check.schema, { type: 'null' }] } : spec.check.schema]),
  );
  const required = Object.keys(specs).filter((key) => !specs[key].optional);
  return { type: 'object', ...extra, properties, required, additionalProperties: false };
}

export function objectOf<D>(specs: FieldSpecs<D>, label: string): FieldCheck<D> {
  return check(objectSchema(specs), (value, path, errors) => {
    if (!isPlainObject(value)) return fail(errors, path, `must be an object (got ${describe(value)})`);
    const before = errors.length;
    const out = checkFields(specs, value, path, label, errors);
    return errors.length === before ? (out as D) : undefined;
  });
}

export function listOf<T>(item: FieldCheck<T>): FieldCheck<readonly T[]> {
  return check({ type: 'array', items: item.schema }, (value, path, errors) => {
    if (!Array.isArray(value)) return fail(errors, path, `must be a list (got ${describe(value)})`);
    const before = errors.length;
    const out = value.map((element, index) => item(element, `${path}[${index}]`, errors));
    return errors.length === before ? (out as T[]) : undefined;
  });
}

export function oneOf<const V extends string>(allowed: readonly V[]): FieldCheck<V> {
  return check({ type: 'string', enum: allowed }, (value, path, errors) =>
    typeof value === 'string' && (allowed as readonly string[]).includes(value)
      ? (value as V)
      : fail(errors, path, `must be one of: ${allowed.join(', ')} (got ${describe(value)})`),
  );
}

/** Not blank: holds a character that `trim()` keeps (JavaScript's `\s` is the same set). */
const NOT_BLANK = '\\S';

export const text = check<string>({ type: 'string', pattern: NOT_BLANK }, (value, path, errors) => {
  if (typeof value !== 'string') return fail(errors, path, `must be text (got ${describe(value)})`);
  if (value.trim() === '') return fail(errors, path, 'must not be empty; leave the field out instead');
  return value;
});

// maxLength counts code points where `length` counts UTF-16 units: the schema is looser only for
// ids holding emoji and the like.
export const id = check<string>({ type: 'string', pattern: NOT_BLANK, maxLength: MAX_ID_LENGTH }, (value, path, errors) => {
  // CRMs often export numeric ids; say how to send them rather than only that they are wrong.
  if (typeof value === 'number') return fail(errors, path, `must be text; send ${value} as "${value}"`);
  if (typeof value !== 'string') return fail(errors, path, `must be a text id (got ${describe(value)})`);
  if (value.trim() === '') return fail(errors, path, 'must not be empty');
  if (value.length > MAX_ID_LENGTH) {
    return fail(errors, path, `must be at most ${MAX_ID_LENGTH} characters (got ${value.length})`);
  }
  return value;
});

const DECIMAL = /^-?\d+(\.\d+)?$/;

const AMOUNT_SCHEMA: JsonSchema = {
  anyOf: [
    { type: 'number', minimum: 0 },
    { type: 'string', pattern: '^\\d+(\\.\\d+)?$', description: 'a decimal such as "1250.50"' },
  ],
};

/** A money amount: a JSON number or a decimal string (as CRMs export currency fields), never negative. */
export const amount = check<number>(AMOUNT_SCHEMA, (value, path, errors) => {
  const parsed = typeof value === 'string' && DECIMAL.test(value) ? Number(value) : value;
  if (typeof parsed !== 'number' || !Number.isFinite(parsed)) {
    return fail(errors, path, `must be a number such as 1250 or "1250.50" (got ${describe(value)})`);
  }
  if (parsed < 0) return fail(errors, path, `must not be negative (got ${describe(value)})`);
  return parsed + 0; // turns -0 into 0
});

export const finiteNumber = check<number>({ type: 'number' }, (value, path, errors) =>
  typeof value === 'number' && Number.isFinite(value)
    ? value
    : fail(errors, path, `must be a number (got ${describe(value)})`),
);

export const score = check<number>({ type: 'number', minimum: 0, maximum: 100 }, (value, path, errors) =>
  typeof value === 'number' && value >= 0 && value <= 100
    ? value
    : fail(errors, path, `must be a number from 0 to 100 (got ${describe(value)})`),
);

export const wholeNumber = check<number>({ type: 'integer', minimum: 0 }, (value, path, errors) =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0
    ? value
    : fail(errors, path, `must be a whole number, 0 or more (got ${describe(value)})`),
);

export const boolean = check<boolean>({ type: 'boolean' }, (value, path, errors) =>
  typeof value === 'boolean' ? value : fail(errors, path, `must be true or false (got ${describe(value)})`),
);

// The parts of an ISO-8601 instant, shared by the parser and the published schema's patterns.
const DATE = String.raw`(\d{4})-(\d{2})-(\d{2})`;
const TIME = String.raw`[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?`;
const ZONE = String.raw`([Zz]|[+-]\d{2}:\d{2})`;
// Zone and time optional here so that a missing one gets its own message.
const DATE_TIME = new RegExp(`^${DATE}(?:${TIME}${ZONE}?)?$`);

type InstantProblem = 'format' | 'date-only' | 'no-offset' | 'impossible';

/**
 * Parses ISO-8601 with a `Z` or `±hh:mm` offset (or, if `allowDateOnly`, `YYYY-MM-DD` as UTC
 * midnight) into UTC with millisecond precision. Every component must survive a round trip
 * through Date, which would otherwise roll 2026-02-30 over into March.
 */
function parseInstant(textValue: string, allowDateOnly: boolean): { iso: string } | { problem: InstantProblem } {
  const match = DATE_TIME.exec(textValue);
  if (!match) return { problem: 'format' };
  const [, year, month, day, hour, minute, second = '0', fraction = '', zone] = match;
  if (hour === undefined && !allowDateOnly) return { problem: 'date-only' };
  if (hour !== undefined && zone === undefined) return { problem: 'no-offset' };

  const fields = [year, month, day, hour ?? '0', minute ?? '0', second].map(Number);
  const [y, mo, d, h, mi, s] = fields;
  const local = new Date(0);
  local.setUTCFullYear(y, mo - 1, d);
  // Sub-millisecond digits are cut, as `new Date()` does.
  local.setUTCHours(h, mi, s, Number(fraction.slice(0, 3).padEnd(3, '0')));
  const roundTrips =
    local.getUTCFullYear() === y &&
    local.getUTCMonth() === mo - 1 &&
    local.getUTCDate() === d &&
    local.getUTCHours() === h &&
    local.getUTCMinutes() === mi &&
    local.getUTCSeconds() === s;

  let offsetMinutes = 0;
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const offsetHours = Number(zone.slice(1, 3));
    const offsetMins = Number(zone.slice(4, 6));
    if (offsetHours > 23 || offsetMins > 59) return { problem: 'impossible' };
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  if (!roundTrips) return { problem: 'impossible' };
  return { iso: new Date(local.getTime() - offsetMinutes * 60_000).toISOString() };
}

function instantCheck(allowDateOnly: boolean): FieldCheck<string> {
  const example = allowDateOnly ? '2026-03-31 or 2026-03-31T17:00:00Z' : '2026-03-02T10:15:00Z';
  // A pattern, not `format: date-time`: RFC 3339 requires seconds, and ingest also takes
  // 2026-03-02T10:15Z and a space for the T. Impossible dates (02-30) pass the pattern only.
  const schema: JsonSchema = {
    type: 'string',
    pattern: allowDateOnly ? `^${DATE}(?:${TIME}${ZONE})?$` : `^${DATE}${TIME}${ZONE}$`,
    description: allowDateOnly
      ? 'ISO-8601 date-time with Z or ±hh:mm, or a date (UTC midnight), e.g. 2026-03-31 or 2026-03-31T17:00:00Z'
      : 'ISO-8601 date-time with Z or ±hh:mm, e.g. 2026-03-02T10:15:00Z; stored in UTC with milliseconds',
  };
  return check(schema, (value, path, errors) => {
    if (typeof value !== 'string') {
      return fail(errors, path, `must be a date-time such as ${example} (got ${describe(value)})`);
    }
    const parsed = parseInstant(value, allowDateOnly);
    if ('iso' in parsed) return parsed.iso;
    const shown = describe(value);
    switch (parsed.problem) {
      case 'format':
        return fail(errors, path, `${shown} is not an ISO-8601 date-time; use a value such as ${example}`);
      case 'date-only':
        return fail(errors, path, `${shown} needs a time and a time zone, such as ${example}`);
      case 'no-offset':
        // Guessing the zone would shift the event by hours, so the sender has to say which it is.
        return fail(errors, path, `${shown} has no time zone; end it with Z for UTC or an offset such as +01:00`);
      case 'impossible':
        return fail(errors, path, `${shown} is not a real calendar date and time`);
    }
  });
}

/** A point in time: ISO-8601 date-time with `Z` or `±hh:mm`, normalised to UTC with milliseconds. */
export const instant = instantCheck(false);

/** Like `instant`, but a bare `YYYY-MM-DD` is also accepted, as UTC midnight. */
export const dateOrInstant = instantCheck(true);
