/**
 * Business-time order of events: by occurredAt, ties broken by event id. Read-model state is
 * built only from min/max choices over stamps, so the result is the same for any arrival order
 * and any number of redeliveries (each field is a join-semilattice).
 */
export interface Stamp {
  readonly at: string;
  readonly id: string;
}

export type Stamped<T> = Stamp & { readonly value: T };

export function compareStamps(a: Stamp, b: Stamp): number {
  if (a.at !== b.at) return a.at < b.at ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The earlier of two stamped values (the incumbent when `candidate` is absent). */
export function earliest<T extends Stamp>(current: T | null | undefined, candidate: T): T {
  return current && compareStamps(current, candidate) <= 0 ? current : candidate;
}

/** The later of two stamped values. */
export function latest<T extends Stamp>(current: T | null | undefined, candidate: T): T {
  return current && compareStamps(current, candidate) >= 0 ? current : candidate;
}
