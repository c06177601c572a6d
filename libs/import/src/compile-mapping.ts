import { dataFieldNames, validateEvent, type FieldError } from '@funnel/contracts';
import type { z } from 'zod';
import { importEventId } from './event-id';
import {
  mappingSchema,
  type ConditionInput,
  type DateFormat,
  type EventSpecInput,
  type FieldSpecInput,
  type Mapping,
} from './mapping.schema';
import { applyTransforms, isValidZone, parseBoolean, parseDate, parseNumber, ValueError } from './values';

/** A mapping that cannot be used: nothing is imported. Each error names the mapping path (and column). */
export class MappingError extends Error {
  constructor(readonly errors: readonly FieldError[]) {
    super(`invalid mapping:\n${errors.map((e) => `  ${e.path}: ${e.message}`).join('\n')}`);
  }
}

/** `events[1].fields.amount`, `fields["Deal Stage"]`: the path as a user finds it in the file. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) =>
      typeof p === 'number' ? `[${p}]` : /^[A-Za-z_$][\w$]*$/.test(String(p)) ? `${i === 0 ? '' : '.'}${String(p)}` : `[${JSON.stringify(String(p))}]`,
    )
    .join('');
}

type Cell = string | number | boolean | string[];
export type Row = Readonly<Record<string, string>>;

/** An event as sent to ingest (validated there), with the mapping role that made it. */
export interface ImportedEvent {
  readonly role: string;
  readonly event: {
    readonly id: string;
    readonly type: string;
    readonly occurredAt: string;
    readonly source: string;
    readonly data: Record<string, unknown>;
  };
}

export interface ColumnUse {
  readonly path: string;
  readonly column: string;
}

export interface CompiledMapping {
  readonly name: string;
  readonly delimiter: string;
  readonly mapping: Mapping;
  /** Every column the mapping reads, with where it reads it: checked against each file's header. */
  readonly columns: readonly ColumnUse[];
  /** The events a row makes; throws `RowError` for a value that cannot be mapped. */
  eventsOf(row: Row): ImportedEvent[];
}

/** One row that cannot be imported; the import goes on without it. */
export class RowError extends Error {
  constructor(
    message: string,
    readonly eventType: string,
  ) {
    super(message);
  }
}

type FieldReader = (row: Row) => Cell | undefined;

const TEMPLATE_PLACEHOLDER = /\{([^{}]+)\}/g;

function compileField(spec: FieldSpecInput, path: string, zone: string, errors: FieldError[], columns: ColumnUse[], forceDate: boolean): FieldReader {
  const sources = (['column', 'template', 'const'] as const).filter((k) => spec[k] !== undefined);
  if (sources.length !== 1) {
    errors.push({ path, message: `needs exactly one of "column", "template" or "const" (got ${sources.length === 0 ? 'none' : sources.join(', ')})` });
    return () => undefined;
  }
  const as = forceDate ? 'date' : (spec.as ?? 'string');
  if (forceDate && spec.as !== undefined && spec.as !== 'date') errors.push({ path: `${path}.as`, message: 'occurredAt is always a date' });
  if (spec.const !== undefined) {
    if (forceDate && (typeof spec.const !== 'string' || parseDateOr(spec.const, ['ISO'], 'UTC') === undefined)) {
      errors.push({ path: `${path}.const`, message: 'must be an ISO-8601 instant' });
    }
    const value = spec.const;
    return () => value;
  }
  if (as === 'date' && spec.format === undefined) errors.push({ path: `${path}.format`, message: `a date needs a format: one of the named formats, e.g. "YYYY-MM-DD"` });
  if (as !== 'date' && spec.format !== undefined) errors.push({ path: `${path}.format`, message: 'applies only to "as": "date"' });
  if (as !== 'number' && spec.decimal !== undefined) errors.push({ path: `${path}.decimal`, message: 'applies only to "as": "number"' });
  if (spec.otherwise !== undefined && spec.map === undefined) errors.push({ path: `${path}.otherwise`, message: 'applies only with "map"' });
  const fieldZone = spec.timeZone ?? zone;
  if (spec.timeZone !== undefined && !isValidZone(spec.timeZone)) {
    errors.push({ path: `${path}.timeZone`, message: `"${spec.timeZone}" is not an IANA time zone (e.g. "Europe/Berlin", "UTC")` });
  }

  let read: (row: Row) => string;
  if (spec.column !== undefined) {
    const column = spec.column;
    columns.push({ path: `${path}.column`, column });
    read = (row) => row[column] ?? '';
  } else {
    const template = spec.template as string;
    const names = [...template.matchAll(TEMPLATE_PLACEHOLDER)].map((m) => m[1]);
    if (names.length === 0) errors.push({ path: `${path}.template`, message: 'names no column; write {Column Name} where a cell goes' });
    for (const column of names) columns.push({ path: `${path}.template`, column });
    // A template over an empty cell is empty as a whole: "opp-" is never a useful id.
    read = (row) => (names.some((c) => (row[c] ?? '').trim() === '') ? '' : template.replace(TEMPLATE_PLACEHOLDER, (_, c: string) => (row[c] as string).trim()));
  }

  const transforms = spec.transform ?? [];
  const formats: readonly DateFormat[] = spec.format === undefined ? [] : Array.isArray(spec.format) ? spec.format : [spec.format as DateFormat];
  const decimal = spec.decimal ?? '.';
  const map = spec.map;
  const convert = (value: Cell): Cell => {
    if (typeof value !== 'string') return value;
    switch (as) {
      case 'string':
        return value;
      case 'number':
        return parseNumber(value, decimal);
      case 'integer': {
        const n = parseNumber(value, decimal);
        if (!Number.isInteger(n)) throw new ValueError(`"${value}" is not a whole number`);
        return n;
      }
      case 'boolean':
        return parseBoolean(value);
      case 'date':
        return parseDate(value, formats, fieldZone);
    }
  };
  const mapped = (value: string): Cell => {
    if (map === undefined) return convert(value);
    if (Object.hasOwn(map, value)) return convert(map[value] as Cell);
    if (spec.otherwise !== undefined) return convert(spec.otherwise);
    throw new ValueError(`"${value}" is not in the value map (${Object.keys(map).map((k) => `"${k}"`).join(', ')}) and no "otherwise" is set`);
  };
  return (row) => {
    const value = applyTransforms(read(row), transforms);
    // Empty cells leave optional fields out instead of sending "" (ingest would reject "" ids).
    if (value.trim() === '') return spec.default === undefined ? undefined : convert(spec.default);
    if (spec.split === undefined) return mapped(value);
    const items = value.split(spec.split).map((s) => s.trim()).filter((s) => s !== '');
    return items.map((item) => String(mapped(item)));
  };
}

function parseDateOr(value: string, formats: readonly DateFormat[], zone: string): string | undefined {
  try {
    return parseDate(value, formats, zone);
  } catch {
    return undefined;
  }
}

function compileCondition(c: ConditionInput, path: string, errors: FieldError[], columns: ColumnUse[]): (row: Row) => boolean {
  columns.push({ path: `${path}.column`, column: c.column });
  const tests = (['notEmpty', 'empty', 'equals', 'in'] as const).filter((k) => c[k] !== undefined);
  if (tests.length !== 1) {
    errors.push({ path, message: `needs exactly one of "notEmpty", "empty", "equals" or "in" (got ${tests.length === 0 ? 'none' : tests.join(', ')})` });
  }
  const cell = (row: Row) => (row[c.column] ?? '').trim();
  if (c.notEmpty) return (row) => cell(row) !== '';
  if (c.empty) return (row) => cell(row) === '';
  if (c.equals !== undefined) return (row) => cell(row) === c.equals;
  const allowed = new Set(c.in ?? []);
  return (row) => allowed.has(cell(row));
}

function setPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const parts = dotted.split('.');
  let obj = target;
  for (const p of parts.slice(0, -1)) obj = (obj[p] ??= {}) as Record<string, unknown>;
  obj[parts[parts.length - 1]] = value;
}

function compileEvent(spec: EventSpecInput, index: number, mapping: Mapping, errors: FieldError[], columns: ColumnUse[]) {
  const path = `events[${index}]`;
  const zone = mapping.timeZone ?? 'UTC';
  const known = new Set(dataFieldNames(spec.type));
  const fields = Object.entries(spec.fields).map(([name, fieldSpec]) => {
    const fieldPath = `${path}.fields${formatPath([name]).startsWith('[') ? '' : '.'}${formatPath([name])}`;
    if (!known.has(name.split('.')[0])) {
      errors.push({ path: fieldPath, message: `is not a field of ${spec.type}; expected: ${[...known].join(', ')}` });
    }
    return { name, source: fieldSpec.column ?? fieldSpec.template, read: compileField(fieldSpec, fieldPath, zone, errors, columns, false) };
  });
  const when = spec.when === undefined ? [] : Array.isArray(spec.when) ? spec.when : [spec.when];
  const conditions = when.map((c, i) => compileCondition(c, Array.isArray(spec.when) ? `${path}.when[${i}]` : `${path}.when`, errors, columns));
  const occurredAt = compileField(spec.occurredAt, `${path}.occurredAt`, zone, errors, columns, true);
  return { role: spec.role ?? spec.type, type: spec.type, conditions, occurredAt, occurredAtSource: spec.occurredAt.column, fields };
}

function columnOf(fields: readonly { name: string; source?: string }[], path: string): string {
  const source = fields.find((f) => path === `data.${f.name}` || path.startsWith(`data.${f.name}[`))?.source;
  if (source === undefined) return '';
  return source.includes('{') ? ` (template "${source}")` : ` (column "${source}")`;
}

function describeError(e: unknown): string {
  return e instanceof ValueError ? e.message : String(e);
}

/** Validates a mapping (its shape, names, zones) and compiles it into a row → events function. */
export function compileMapping(input: unknown): CompiledMapping {
  const parsed = mappingSchema.safeParse(input);
  if (!parsed.success) throw new MappingError(zodErrors(parsed.error));
  const mapping = parsed.data;
  const errors: FieldError[] = [];
  const columns: ColumnUse[] = [];
  if (mapping.timeZone !== undefined && !isValidZone(mapping.timeZone)) {
    errors.push({ path: 'timeZone', message: `"${mapping.timeZone}" is not an IANA time zone (e.g. "Europe/Berlin", "UTC")` });
  }
  mapping.key.forEach((column, i) => columns.push({ path: `key[${i}]`, column }));
  const events = mapping.events.map((spec, i) => compileEvent(spec, i, mapping, errors, columns));
  const roles = new Map<string, number>();
  events.forEach((e, i) => {
    const first = roles.get(e.role);
    if (first !== undefined) errors.push({ path: `events[${i}].role`, message: `"${e.role}" is already the role of events[${first}]; give each event of the same type its own role` });
    else roles.set(e.role, i);
  });
  if (errors.length > 0) throw new MappingError(errors);

  const source = mapping.source ?? mapping.name;
  return {
    name: mapping.name,
    delimiter: mapping.delimiter ?? ',',
    mapping,
    columns,
    eventsOf(row) {
      const keyValues = mapping.key.map((c) => (row[c] ?? '').trim());
      const emptyKey = mapping.key.find((_, i) => keyValues[i] === '');
      const out: ImportedEvent[] = [];
      for (const e of events) {
        if (!e.conditions.every((holds) => holds(row))) continue;
        if (emptyKey !== undefined) throw new RowError(`key column "${emptyKey}" is empty`, e.type);
        let occurredAt: Cell | undefined;
        try {
          occurredAt = e.occurredAt(row);
        } catch (err) {
          throw new RowError(`${e.type} occurredAt (column "${e.occurredAtSource}"): ${describeError(err)}`, e.type);
        }
        if (occurredAt === undefined) throw new RowError(`${e.type} occurredAt: column "${e.occurredAtSource}" is empty`, e.type);
        const data: Record<string, unknown> = {};
        for (const f of e.fields) {
          let value: Cell | undefined;
          try {
            value = f.read(row);
          } catch (err) {
            throw new RowError(`${e.type} data.${f.name}${columnOf(e.fields, `data.${f.name}`)}: ${describeError(err)}`, e.type);
          }
          if (value !== undefined) setPath(data, f.name, value);
        }
        const event = { id: importEventId(mapping.name, e.role, keyValues), type: e.type, occurredAt: occurredAt as string, source, data };
        // Checked here with the same rules as ingest, so the reason can name the column.
        const checked = validateEvent(event, { reportingCurrency: 'none' });
        if (!checked.ok) throw new RowError(checked.errors.map((err) => `${e.type} ${err.path}${columnOf(e.fields, err.path)}: ${err.message}`).join('; '), e.type);
        out.push({ role: e.role, event });
      }
      return out;
    },
  };
}

type Issue = z.core.$ZodIssue;

/** zod's issues as path + message; a union says which of its shapes was meant, not only "Invalid input". */
function flatten(issue: Issue, prefix: readonly PropertyKey[]): { path: readonly PropertyKey[]; message: string }[] {
  const path = [...prefix, ...issue.path];
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [{ path, message: issue.message }];
  // A branch that failed only on the value's type is the wrong shape; the other one says what is wrong.
  const wrongShape = (branch: readonly Issue[]) => branch.length === 1 && branch[0].code === 'invalid_type' && branch[0].path.length === 0;
  const meant = issue.errors.filter((b) => !wrongShape(b));
  if (meant.length === 1) return meant[0].flatMap((i) => flatten(i, path));
  const expected = issue.errors.flatMap((b) => (b[0]?.code === 'invalid_type' ? [b[0].expected] : []));
  return [{ path, message: expected.length === issue.errors.length ? `must be a ${expected.join(', ')}` : issue.message }];
}

function zodErrors(error: z.ZodError): FieldError[] {
  return error.issues.flatMap((issue) => flatten(issue, [])).map((e) => ({ path: formatPath(e.path) || '(mapping)', message: e.message }));
}

/** The mapped columns missing from a file's header, each named with the mapping path that reads it. */
export function checkHeader(compiled: CompiledMapping, header: readonly string[]): FieldError[] {
  const present = new Set(header);
  return compiled.columns
    .filter((use) => !present.has(use.column))
    .map((use) => ({ path: use.path, message: `column "${use.column}" is not in the file's header (${header.map((h) => `"${h}"`).join(', ')})` }));
}
