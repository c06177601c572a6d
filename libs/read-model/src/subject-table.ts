import { subjectOf, type FunnelEvent } from '@funnel/contracts';
import type { EntityManager } from 'typeorm';

/** A column of a current-state table: its PostgreSQL type and how it is computed from the subject's state. */
export interface Column<S> {
  readonly type: string;
  readonly from: (state: S) => unknown;
}

type Camel<N extends string> = N extends `${infer H}_${infer T}` ? `${H}${Capitalize<Camel<T>>}` : N;
/** A row's columns under camelCase names (`first_seen_at` -> `firstSeenAt`), as lookups return them. */
// `any`: pg hands back Date, number, string, boolean or null; the GraphQL models give the types.
export type FieldsOf<C> = { readonly [K in keyof C & string as Camel<K>]: any };

const camel = (name: string) => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * One current-state table, declared once: every flattened column with its type and its
 * computation from the subject state. The first column is the primary key. Each row also keeps
 * the whole `state` (jsonb) it was computed from, so a new event can be folded into it in any order.
 * The upsert, the row mapping and the lookups' column lists and field names all derive from here;
 * the table itself comes from the migrations in libs/persistence (a new column is a new migration).
 */
export class SubjectTable<S, C extends Record<string, Column<S>> = Record<string, Column<S>>> {
  readonly key: string;
  /** Every written column with its type, `state` last. */
  readonly columnTypes: readonly (readonly [string, string])[];

  constructor(
    readonly name: string,
    readonly columns: C,
  ) {
    this.key = Object.keys(columns)[0];
    this.columnTypes = [...Object.entries(columns).map(([n, c]) => [n, c.type] as const), ['state', 'jsonb'] as const];
  }

  rowOf(state: S): Record<string, unknown> {
    const row: Record<string, unknown> = {};
    for (const [n, c] of Object.entries(this.columns)) row[n] = c.from(state) ?? null;
    row.state = state;
    return row;
  }

  /** The declared columns of a selected row under their camelCase names (not `state`). */
  fieldsOf(row: Record<string, unknown>): FieldsOf<C> {
    return Object.fromEntries(Object.keys(this.columns).map((n) => [camel(n), row[n]])) as FieldsOf<C>;
  }

  /** `alias.col, ...` for a lookup's SELECT. */
  select(alias: string): string {
    return Object.keys(this.columns).map((n) => `${alias}.${n}`).join(', ');
  }

  /**
   * Set-based multi-row upsert: the rows travel as one jsonb parameter and are typed by
   * jsonb_to_recordset, so a batch of thousands is one statement, not thousands of round trips.
   */
  async upsert(em: EntityManager, rows: readonly object[]): Promise<void> {
    if (rows.length === 0) return;
    const names = this.columnTypes.map(([n]) => n);
    const rest = names.filter((n) => n !== this.key);
    await em.query(
      `INSERT INTO ${this.name} (${names.join(', ')})
       SELECT ${names.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS x(${this.columnTypes.map(([n, t]) => `${n} ${t}`).join(', ')})
       ON CONFLICT (${this.key}) DO UPDATE SET ${rest.map((n) => `${n} = excluded.${n}`).join(', ')}, updated_at = now()`,
      [JSON.stringify(rows)],
    );
  }

  /**
   * Loads the stored state of each subject, folds the batch's events into it and writes it back.
   * Because every state field is an earliest/latest choice by (occurredAt, eventId), the fold is
   * order-independent and idempotent: redelivered or shuffled events give the same rows.
   *
   * Two projector processes can hold the same subject for a moment (a rebalance, a frozen
   * process). A transaction-scoped advisory lock per subject, taken in key order so they cannot
   * deadlock, serialises them even for a subject that has no row yet (which FOR UPDATE could
   * not lock), so neither overwrites the other's newer state.
   */
  async merge<E extends FunnelEvent>(em: EntityManager, events: readonly E[], evolve: (state: S | undefined, event: E) => S): Promise<void> {
    if (events.length === 0) return;
    const ids = [...new Set(events.map((e) => subjectOf(e).id))].sort();
    await em.query(
      `SELECT pg_advisory_xact_lock(hashtextextended($1 || ':' || id, 0)) FROM unnest($2::text[]) AS id ORDER BY id`,
      [this.name, ids],
    );
    const stored: { id: string; state: S }[] = await em.query(
      `SELECT ${this.key} AS id, state FROM ${this.name} WHERE ${this.key} = ANY($1::text[])`,
      [ids],
    );
    const states = new Map(stored.map((r) => [r.id, r.state]));
    for (const e of events) states.set(subjectOf(e).id, evolve(states.get(subjectOf(e).id), e));
    await this.upsert(em, [...states.values()].map((s) => this.rowOf(s)));
  }
}

/** Declares a table of subject state `S` (curried so the columns' names are inferred and `S` is given). */
export const subjectTable =
  <S>() =>
  <C extends Record<string, Column<S>>>(name: string, columns: C): SubjectTable<S, C> =>
    new SubjectTable<S, C>(name, columns);
