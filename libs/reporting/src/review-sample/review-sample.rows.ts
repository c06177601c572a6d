import { REVIEW_STRATA, type ReviewStratum } from '@funnel/domain';
import { createHash } from 'node:crypto';

/**
 * The weekly review sample (DESIGN §4 "Weekly review sample"): the strata, the rank that orders
 * members reproducibly, and the allocation of the sample size across strata in rounds. Production
 * code: the SQL runner (which finds the members) and the reference (the test oracle) share it.
 */

export const REVIEW_WEEK_MS = 7 * 86_400_000;

export interface ReviewItem {
  readonly stratum: ReviewStratum;
  readonly subjectId: string;
}

export interface ReviewSample {
  readonly weekOf: string;
  readonly seed: number;
  readonly size: number;
  readonly items: ReviewItem[];
}

/** The week before weekOf, used as given (not moved to a Monday): [weekOf − 7 days, weekOf). */
export function reviewWeek(weekOf: string): { from: string; to: string } {
  const to = new Date(weekOf);
  return { from: new Date(to.getTime() - REVIEW_WEEK_MS).toISOString(), to: to.toISOString() };
}

/** First 8 bytes, big-endian unsigned, of SHA-256 over the UTF-8 text "<seed>:<id>". */
export function reviewRank(seed: number, id: string): bigint {
  return createHash('sha256').update(`${seed}:${id}`, 'utf8').digest().readBigUInt64BE(0);
}

/** Members in rank order, ties by id. */
export function rankedMembers(seed: number, ids: Iterable<string>): string[] {
  const ranked = [...new Set(ids)].map((id) => ({ id, rank: reviewRank(seed, id) }));
  ranked.sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return ranked.map((r) => r.id);
}

/**
 * How many members each stratum gives, in rounds: L still to allocate, the open strata those with
 * members not yet taken (in REVIEW_STRATA order); each is offered ⌊L / open⌋ and the first
 * L mod open one more, and takes the smaller of its offer and its members left.
 */
export function allocate(size: number, available: readonly number[]): number[] {
  const taken = available.map(() => 0);
  let left = size;
  for (;;) {
    const open = available.flatMap((n, i) => (n > taken[i] ? [i] : []));
    if (left <= 0 || open.length === 0) return taken;
    const [base, extra] = [Math.floor(left / open.length), left % open.length];
    open.forEach((i, j) => {
      const take = Math.min(base + (j < extra ? 1 : 0), available[i] - taken[i]);
      taken[i] += take;
      left -= take;
    });
  }
}

/** The sample from each stratum's members: allocation, then the lowest ranks, in stratum then rank order. */
export function reviewSample(
  weekOf: string,
  size: number,
  seed: number,
  members: Readonly<Record<ReviewStratum, Iterable<string>>>,
): ReviewSample {
  const ranked = REVIEW_STRATA.map((s) => rankedMembers(seed, members[s]));
  const counts = allocate(size, ranked.map((r) => r.length));
  const items = REVIEW_STRATA.flatMap((stratum, i) => ranked[i].slice(0, counts[i]).map((subjectId) => ({ stratum, subjectId })));
  return { weekOf: new Date(weekOf).toISOString(), seed, size, items };
}
