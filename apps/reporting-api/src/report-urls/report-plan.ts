import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { instant, type FieldError } from '@funnel/contracts';
import type { ReportTable } from './report-tables';

/** A URL parameter that cannot become an argument; answered 400 naming it. */
export class ReportUrlError extends Error {
  constructor(readonly argument: string, message: string) {
    super(`${argument}: ${message}`);
  }
}

interface Level {
  /** The field that leads from the level above to this one (undefined for the report itself). */
  readonly via?: string;
  readonly columns: readonly { readonly name: string; readonly field: string }[];
}

/** One report's URL form: its GraphQL field, the selection and the CSV columns, all from the schema. */
export interface ReportPlan {
  readonly name: string;
  readonly field: GraphQLField<unknown, unknown>;
  readonly selection: string;
  readonly levels: readonly Level[];
  /** A cursor connection: the CSV follows `pageInfo.endCursor` to the end unless `first` is given. */
  readonly connection: boolean;
}

const isLeaf = (t: unknown) => isScalarType(t) || isEnumType(t);

// The schema is sorted by name; a row reads better when what identifies it comes first.
const IDENTITY_FIELDS = ['id', 'campaignId', 'key', 'cohort', 'band', 'stage', 'fromStage', 'toStage'];
const identityFirst = (a: { name: string }, b: { name: string }) => rank(a.name) - rank(b.name);
const rank = (name: string) => (IDENTITY_FIELDS.includes(name) ? IDENTITY_FIELDS.indexOf(name) : IDENTITY_FIELDS.length);

export function planReport(schema: GraphQLSchema, name: string, table: ReportTable): ReportPlan {
  const field = schema.getQueryType()?.getFields()[name];
  if (!field) throw new Error(`report table "${name}" names no Query field`);
  const levels: Level[] = [];
  const used = new Set<string>();
  let type = getNamedType(field.type) as GraphQLObjectType;
  const connection = isObjectType(type) && 'pageInfo' in type.getFields() && 'edges' in type.getFields();
  const selections: string[] = [];
  for (let i = 0; i <= table.rows.length; i++) {
    if (!isObjectType(type)) throw new Error(`report table "${name}": ${table.rows.slice(0, i).join('.')} is not an object`);
    const next = table.rows[i];
    const columns = Object.values(type.getFields())
      .filter((f) => isLeaf(getNamedType(f.type)) && !f.args.some((a) => isNonNullType(a.type)) && !table.omit?.includes(f.name))
      .sort(identityFirst)
      .map((f) => {
        const column = used.has(f.name) ? `${table.rows[i - 1]}.${f.name}` : f.name;
        used.add(column);
        return { name: column, field: f.name };
      });
    levels.push({ via: table.rows[i - 1], columns });
    selections.push(columns.map((c) => c.field).join(' '));
    if (next === undefined) break;
    const child = type.getFields()[next];
    if (!child) throw new Error(`report table "${name}": ${type.name} has no field ${next}`);
    type = getNamedType(child.type) as GraphQLObjectType;
  }
  // Nest the selections: level i holds level i+1 under its `via` field.
  let selection = selections[selections.length - 1];
  for (let i = levels.length - 1; i > 0; i--) selection = `${selections[i - 1]} ${levels[i].via} { ${selection} }`;
  if (connection) selection += ' pageInfo { hasNextPage endCursor }';
  return { name, field, selection, levels, connection };
}

/** The CSV header: every column of every level, outer levels first. */
export const columnsOf = (plan: ReportPlan): string[] => plan.levels.flatMap((l) => l.columns.map((c) => c.name));

/** One flat row per innermost item; the fields of outer levels repeat on each of their rows. */
export function flatRows(plan: ReportPlan, value: unknown): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const walk = (item: Record<string, unknown>, i: number, outer: Record<string, unknown>) => {
    const row = { ...outer };
    for (const c of plan.levels[i].columns) row[c.name] = item[c.field];
    if (i === plan.levels.length - 1) out.push(row);
    else for (const child of itemsOf(item[plan.levels[i + 1].via as string])) walk(child, i + 1, row);
  };
  for (const item of itemsOf(value)) walk(item, 0, {});
  return out;
}

const itemsOf = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v : v == null ? [] : [v as Record<string, unknown>]);

type UrlValue = string | number | boolean | (string | number | boolean)[];

/**
 * URL parameters as GraphQL variables of the report's arguments, by the same names. The fields
 * of an input-object argument (the record lists' `filter`) are parameters of their own. Values
 * are converted by type only (Int, Float, Boolean, lists as repeated or comma-separated values);
 * everything else (enums by name, DateTime) goes to GraphQL as text, so it validates exactly as
 * the GraphQL API does.
 */
export function variablesOf(plan: ReportPlan, params: URLSearchParams, ignore: readonly string[] = []): Record<string, unknown> {
  const args = new Map(plan.field.args.map((a) => [a.name, a]));
  const nested = new Map<string, { arg: GraphQLArgument; type: GraphQLInputType }>();
  for (const arg of plan.field.args) {
    const t = getNamedType(arg.type);
    if (isInputObjectType(t)) for (const f of Object.values(t.getFields())) nested.set(f.name, { arg, type: f.type });
  }
  const variables: Record<string, any> = {};
  for (const key of new Set(params.keys())) {
    if (ignore.includes(key)) continue;
    const values = params.getAll(key);
    const arg = args.get(key);
    if (arg) variables[key] = convert(key, arg.type, values);
    else if (nested.has(key)) {
      const { arg: parent, type } = nested.get(key)!;
      (variables[parent.name] ??= {})[key] = convert(key, type, values);
    } else {
      const known = [...plan.field.args.filter((a) => !isInputObjectType(getNamedType(a.type))).map((a) => a.name), ...nested.keys()];
      throw new ReportUrlError(key, `is not a parameter of ${plan.name}; its parameters are ${known.join(', ') || 'none'}`);
    }
  }
  for (const arg of plan.field.args) {
    if (isNonNullType(arg.type) && arg.defaultValue === undefined && !(arg.name in variables)) {
      throw new ReportUrlError(arg.name, `is required (${String(arg.type)})`);
    }
  }
  return variables;
}

function convert(name: string, type: GraphQLInputType, values: string[]): UrlValue {
  const inner = isNonNullType(type) ? type.ofType : type;
  const named = getNamedType(inner);
  if (isInputObjectType(named)) {
    throw new ReportUrlError(name, `takes its fields as parameters of their own (${Object.keys(named.getFields()).join(', ')})`);
  }
  if (isListType(inner)) return values.flatMap((v) => v.split(',')).filter((v) => v !== '').map((v) => scalar(name, inner.ofType, v));
  if (values.length > 1) throw new ReportUrlError(name, `is given ${values.length} times; it takes one value`);
  return scalar(name, inner, values[0]);
}

function scalar(name: string, type: GraphQLInputType, text: string): string | number | boolean {
  const t = getNamedType(type);
  switch (t.name) {
    case 'Int':
      if (!/^-?\d+$/.test(text)) throw new ReportUrlError(name, `must be an integer, got "${text}"`);
      return Number(text);
    case 'Float': {
      const n = Number(text);
      if (text.trim() === '' || !Number.isFinite(n)) throw new ReportUrlError(name, `must be a number, got "${text}"`);
      return n;
    }
    case 'DateTime': {
      // As strict as ingest's occurredAt (DESIGN §5): ISO-8601 with Z or an offset, a real date.
      const errors: FieldError[] = [];
      instant(text, name, errors);
      if (errors.length) throw new ReportUrlError(name, errors[0].message);
      return text;
    }
    case 'Boolean':
      if (text !== 'true' && text !== 'false') throw new ReportUrlError(name, `must be true or false, got "${text}"`);
      return text === 'true';
    default:
      return text;
  }
}

/** The operation that runs a report with the given variables. */
export function operationOf(plan: ReportPlan, variables: Record<string, unknown>): string {
  const used = plan.field.args.filter((a) => a.name in variables);
  const decl = used.length ? `(${used.map((a) => `$${a.name}: ${String(a.type)}`).join(', ')})` : '';
  const call = used.length ? `(${used.map((a) => `${a.name}: $${a.name}`).join(', ')})` : '';
  return `query ${plan.name}Report${decl} { ${plan.name}${call} { ${plan.selection} } }`;
}
