import type { QueryParams } from './clickhouse.port';

/** The logical database both adapters use when none is given. */
export const DEFAULT_CLICKHOUSE_DATABASE = 'funnel';

/**
 * Settings both adapters pin because their defaults differ between ClickHouse versions: recent
 * ones (chdb's 26.7 among them) no longer quote 64-bit integers in JSON, and the port promises
 * strings since a JS number cannot hold a UInt64; older ones read only `YYYY-MM-DD hh:mm:ss`
 * timestamps in inserted rows, not the ISO-8601 `...T...Z` that JSON.stringify writes for a Date.
 */
export const PINNED_SETTINGS = {
  output_format_json_quote_64bit_integers: 1,
  date_time_input_format: 'best_effort',
} as const;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A database name is spliced into DDL, so only plain identifiers are accepted. */
export function assertIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`invalid ClickHouse database name '${name}': use [A-Za-z_][A-Za-z0-9_]*`);
  return name;
}

const PLACEHOLDER = /\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*:\s*([^{}]+?)\s*\}/g;
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

function unwrap(type: string): string {
  const m = /^(?:Nullable|LowCardinality)\((.*)\)$/s.exec(type.trim());
  return m ? unwrap(m[1]) : type.trim();
}

// Epoch seconds are what @clickhouse/client sends for a Date: they mean the same instant
// whatever the column's or the server's time zone. chdb would send 'YYYY-MM-DD hh:mm:ss' and
// drop the milliseconds, and neither engine parses ISO-8601 `T`/`Z` in a query parameter.
function epochSeconds(ms: number, withMillis: boolean): string {
  if (!withMillis) return String(Math.floor(ms / 1000));
  const abs = Math.abs(ms);
  return `${ms < 0 ? '-' : ''}${Math.floor(abs / 1000)}.${String(abs % 1000).padStart(3, '0')}`;
}

function toTemporal(name: string, value: unknown, kind: string): unknown {
  let instant: Date;
  if (value instanceof Date) instant = value;
  else if (typeof value === 'string' && ISO_WITH_OFFSET.test(value)) instant = new Date(value);
  else return value;
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new Error(`query parameter '${name}': ${String(value)} is not a valid timestamp`);
  if (kind === 'DateTime64') return epochSeconds(ms, true);
  if (kind === 'DateTime') return epochSeconds(ms, false);
  return instant.toISOString().slice(0, 10);
}

function toParamValue(name: string, value: unknown, type: string): unknown {
  if (value === null || value === undefined) return null;
  const inner = unwrap(type);
  if (inner.startsWith('Array(') && Array.isArray(value)) {
    const element = inner.slice('Array('.length, -1);
    return value.map((v) => toParamValue(name, v, element));
  }
  const temporal = /^(DateTime64|DateTime|Date32|Date)\b/.exec(inner);
  if (temporal) return toTemporal(name, value, temporal[1]);
  // chdb refuses an integral number beyond ±2^53 (it cannot tell an Int64 meant exactly); the
  // double's exact decimal value is what a Float64 placeholder means, and both engines parse it.
  if (typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value)) return BigInt(value);
  return value;
}

/**
 * Values for `{name:Type}` placeholders, shaped so that chdb's binder and @clickhouse/client
 * send the engine the same text: a Date, or an ISO-8601 string with `Z`/offset, bound to a
 * Date/DateTime/DateTime64 placeholder (also inside Array) becomes that instant; everything
 * else (strings, numbers, bigint, booleans, arrays, null for Nullable) passes through, except an
 * integral number beyond ±2^53, which goes as the bigint of its exact value.
 */
export function bindQueryParams(sql: string, params: QueryParams): Record<string, unknown> {
  const types = new Map<string, string>();
  for (const [, name, type] of sql.matchAll(PLACEHOLDER)) if (!types.has(name)) types.set(name, type);
  const bound: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(params)) {
    const type = types.get(name);
    bound[name] = type === undefined ? value : toParamValue(name, value, type);
  }
  return bound;
}

// JSON has no bigint; ClickHouse reads a quoted integer into an integer column.
function bigintAsString(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** One JSONEachRow line. Dates serialise as ISO-8601, which `date_time_input_format` reads. */
export function stringifyRow(row: unknown): string {
  return JSON.stringify(row, bigintAsString);
}

export function hasParams(params: QueryParams | undefined): params is QueryParams {
  return params !== undefined && Object.keys(params).length > 0;
}

/** A ClickHouse string literal: backslash and quote escaped (and NUL, which a literal cannot hold raw). */
function quoted(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\0/g, '\\0')}'`;
}

/** An SQL expression of `value` that CAST(... AS type) turns into what binding it would give. */
function literalOf(name: string, value: unknown, type: string): string {
  if (value === null || value === undefined) return 'NULL';
  const inner = unwrap(type);
  if (/^Array\(/.test(inner) && Array.isArray(value)) {
    const element = inner.slice('Array('.length, -1);
    return `[${value.map((v) => literalOf(name, v, element)).join(', ')}]`;
  }
  if (/^(DateTime64|DateTime|Date32|Date)\b/.test(inner)) {
    const instant = value instanceof Date ? value : typeof value === 'string' && ISO_WITH_OFFSET.test(value) ? new Date(value) : undefined;
    if (instant) {
      const ms = instant.getTime();
      if (Number.isNaN(ms)) throw new Error(`query parameter '${name}': ${String(value)} is not a valid timestamp`);
      // The instant itself, whatever the placeholder's time zone; CAST narrows it to the type.
      return `fromUnixTimestamp64Milli(${ms}, 'UTC')`;
    }
  }
  switch (typeof value) {
    case 'string':
      return quoted(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new Error(`query parameter '${name}': ${value} is not a finite number`);
      // The double's exact decimal value for an integral one beyond 2^53, as binding sends it.
      return Number.isInteger(value) && !Number.isSafeInteger(value) ? BigInt(value).toString() : String(value);
    default:
      throw new Error(`query parameter '${name}': cannot inline a ${Array.isArray(value) ? 'array' : typeof value} as ${type}`);
  }
}

/**
 * `sql` with each `{name:Type}` placeholder replaced by `CAST(<value> AS Type)`, for the embedded
 * engine: chdb 3.4 runs bound queries one at a time per process (its binder's parameter state
 * is process-wide: node_modules/chdb/index.js, globalParamChain), while inlined ones run side by
 * side on separate sessions. Values are shaped as bindQueryParams shapes them, so both adapters
 * query the same values (an int spec compares them on random values of every placeholder type).
 */
export function inlineQueryParams(sql: string, params: QueryParams): string {
  return sql.replace(PLACEHOLDER, (_placeholder, name: string, type: string) => {
    if (!Object.hasOwn(params, name)) throw new Error(`query parameter '${name}' (${type}) has no value`);
    return `CAST(${literalOf(name, params[name], type)} AS ${type})`;
  });
}
