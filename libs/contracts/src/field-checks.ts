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

/** Rejected events echo their id up to this length; a longer string is not an id but a flood. */
export const MAX_ECHOED_ID_LENGTH = 8 * MAX_ID_LENGTH;

/** At most this many errors are reported per event; past it the last entry says how many more there were. */
export const MAX_ERRORS_PER_EVENT = 20;

/**
 * Amounts must stay below this. Both read models store amounts as 64-bit floats (PostgreSQL
 * `double precision`, ClickHouse `Float64`), which hold every whole number below 2^53 (about
 * 9.007e15) exactly: below 1e15 a whole amount, and a sum of up to nine of them, is exact, and
 * larger values (1e308 overflows a sum to Infinity) are never real deals in any currency.
 */
export const MAX_AMOUNT = 1e15;

/** The largest value of a PostgreSQL `integer` (int4) / ClickHouse `Int32`, e.g. `timeline_days`. */
export const MAX_INT4 = 2_147_483_647;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The first `length` UTF-16 units of `value`, one fewer if the cut would split a surrogate pair. */
function cut(value: string, length: number): string {
  const code = value.charCodeAt(length - 1);
  return value.slice(0, code >= 0xd800 && code <= 0xdbff ? length - 1 : length);
}

/** How a rejected value is quoted back in a message, kept short so one bad field cannot flood the response. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${cut(value, 57)}...` : value);
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

// Errors past the cap are only counted, so a body of a million bad fields costs no more memory
// or response than one of twenty-one. Keyed by the list the checks of one event share.
const omittedErrors = new WeakMap<FieldError[], number>();

/** Records an error whose message starts with the path, so it reads on its own in a CSV import log. */
export const fail = (errors: FieldError[], path: string, message: string): undefined => {
  if (errors.length <= MAX_ERRORS_PER_EVENT) errors.push({ path, message: `${path} ${message}` });
  else omittedErrors.set(errors, (omittedErrors.get(errors) ?? 0) + 1);
  return undefined;
};

/** How many errors were recorded in `errors`, counting those past the cap. */
export const errorCount = (errors: FieldError[]): number => errors.length + (omittedErrors.get(errors) ?? 0);

/**
 * The errors as reported: all of them when there are at most MAX_ERRORS_PER_EVENT, else the
 * first MAX_ERRORS_PER_EVENT - 1 and an entry saying how many more there were.
 */
export function reportedErrors(errors: FieldError[]): FieldError[] {
  const total = errorCount(errors);
  if (total <= MAX_ERRORS_PER_EVENT) return errors;
  const more = total - (MAX_ERRORS_PER_EVENT - 1);
  return [...errors.slice(0, MAX_ERRORS_PER_EVENT - 1), { path: '', message: `...and ${more} more errors in this event` }];
}

// A key is quoted back in a path only as far as 60 characters, like a value in a message.
const childPath = (path: string, key: string) => {
  const shown = key.length > 60 ? `${cut(key, 57)}...` : key;
  return path === '' ? shown : `${path}.${shown}`;
};

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
    const before = errorCount(errors);
    const out = checkFields(specs, value, path, label, errors);
    return errorCount(errors) === before ? (out as D) : undefined;
  });
}

export function listOf<T>(item: FieldCheck<T>): FieldCheck<readonly T[]> {
  return check({ type: 'array', items: item.schema }, (value, path, errors) => {
    if (!Array.isArray(value)) return fail(errors, path, `must be a list (got ${describe(value)})`);
    const before = errorCount(errors);
    const out = value.map((element, index) => item(element, `${path}[${index}]`, errors));
    return errorCount(errors) === before ? (out as T[]) : undefined;
  });
}

export function oneOf<const V extends string>(allowed: readonly V[]): FieldCheck<V> {
  return check({ type: 'string', enum: allowed }, (value, path, errors) =>
    typeof value === 'string' && (allowed as readonly string[]).includes(value)
      ? (value as V)
      : fail(errors, path, `must be one of: ${allowed.join(', ')} (got ${describe(value)})`),
  );
}

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why `value` cannot be stored exactly as text, or undefined if it can. PostgreSQL text and
 * jsonb refuse NUL (`\u0000`), and a lone surrogate (`"\ud800"` in JSON) is not Unicode: jsonb
 * refuses it and a text column silently stores U+FFFD instead, so two different ids would merge.
 */
export function unstorableTextProblem(value: string): string | undefined {
  const nul = value.indexOf('\u0000');
  if (nul >= 0) return `must not contain the NUL character (\\u0000, at position ${nul})`;
  const surrogate = UNPAIRED_SURROGATE.exec(value);
  if (surrogate) {
    return `must be valid Unicode: it has an unpaired surrogate (\\u${surrogate[0].charCodeAt(0).toString(16)} at position ${surrogate.index})`;
  }
  return undefined;
}

/** Not blank: holds a character that `trim()` keeps (JavaScript's `\s` is the same set). */
const NOT_BLANK = '\\S';

export const text = check<string>({ type: 'string', pattern: NOT_BLANK }, (value, path, errors) => {
  if (typeof value !== 'string') return fail(errors, path, `must be text (got ${describe(value)})`);
  if (value.trim() === '') return fail(errors, path, 'must not be empty; leave the field out instead');
  const problem = unstorableTextProblem(value);
  if (problem !== undefined) return fail(errors, path, problem);
  return value;
});

/** `text` of at most `max` UTF-16 units (maxLength in the schema counts code points, so it is looser only for emoji and the like). */
export function textUpTo(max: number): FieldCheck<string> {
  return check<string>({ ...text.schema, maxLength: max }, (value, path, errors) => {
    const checked = text(value, path, errors);
    if (checked === undefined) return undefined;
    if (checked.length > max) return fail(errors, path, `must be at most ${max} characters (got ${checked.length})`);
    return checked;
  });
}

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
  const problem = unstorableTextProblem(value);
  if (problem !== undefined) return fail(errors, path, problem);
  return value;
});

const DECIMAL = /^-?\d+(\.\d+)?$/;

const AMOUNT_SCHEMA: JsonSchema = {
  anyOf: [
    { type: 'number', minimum: 0, exclusiveMaximum: MAX_AMOUNT },
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
  if (parsed >= MAX_AMOUNT) {
    return fail(errors, path, `must be less than ${MAX_AMOUNT.toExponential()} (1,000,000,000,000,000), the largest amount stored exactly (got ${describe(value)})`);
  }
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

/** A count stored in an `integer` column: 0 to MAX_INT4. */
export const wholeNumber = check<number>({ type: 'integer', minimum: 0, maximum: MAX_INT4 }, (value, path, errors) =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_INT4
    ? value
    : fail(errors, path, `must be a whole number from 0 to ${MAX_INT4} (got ${describe(value)})`),
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

export type InstantProblem = 'format' | 'date-only' | 'no-offset' | 'impossible' | 'out-of-range';

// Years 1 to 9999 in UTC: what PostgreSQL timestamptz, ClickHouse DateTime64 (26.x) and the
// four-digit form here all hold. Year 0 and 10000 would be refused by one store and not the other.
const MIN_INSTANT_MS = new Date('0001-01-01T00:00:00.000Z').getTime();
const MAX_INSTANT_MS = new Date('9999-12-31T23:59:59.999Z').getTime();

/**
 * Parses ISO-8601 with a `Z` or `±hh:mm` offset (or, if `allowDateOnly`, `YYYY-MM-DD` as UTC
 * midnight) into UTC with millisecond precision. Every component must survive a round trip
 * through Date, which would otherwise roll 2026-02-30 over into March, and the instant must lie
 * in years 1 to 9999 once normalised to UTC. The one parser of instants: ingest's dates and the
 * reporting API's DateTime arguments both go through it.
 */
export function parseInstant(textValue: string, allowDateOnly: boolean): { iso: string } | { problem: InstantProblem } {
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
  const utcMs = local.getTime() - offsetMinutes * 60_000;
  if (utcMs < MIN_INSTANT_MS || utcMs > MAX_INSTANT_MS) return { problem: 'out-of-range' };
  return { iso: new Date(utcMs).toISOString() };
}

/** Why a date-time was refused, in words that start after the quoted value (`"2026-02-30" is not ...`). */
export function instantProblemMessage(problem: InstantProblem, example: string): string {
  switch (problem) {
    case 'format':
      return `is not an ISO-8601 date-time; use a value such as ${example}`;
    case 'date-only':
      return `needs a time and a time zone, such as ${example}`;
    case 'no-offset':
      // Guessing the zone would shift the event by hours, so the sender has to say which it is.
      return 'has no time zone; end it with Z for UTC or an offset such as +01:00';
    case 'impossible':
      return 'is not a real calendar date and time';
    case 'out-of-range':
      return 'is outside years 0001 to 9999 (in UTC), the range the read models store';
  }
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
    return fail(errors, path, `${describe(value)} ${instantProblemMessage(parsed.problem, example)}`);
  });
}

/** A point in time: ISO-8601 date-time with `Z` or `±hh:mm`, normalised to UTC with milliseconds. */
export const instant = instantCheck(false);

/** Like `instant`, but a bare `YYYY-MM-DD` is also accepted, as UTC midnight. */
export const dateOrInstant = instantCheck(true);
