import type { ProjectionName } from './config.schema';

/** Where a projector kills itself for the fault suite: before, part-way through or after a batch's write. */
export const CRASH_POINTS = ['before-write', 'mid-batch', 'after-write'] as const;
export type CrashPointName = (typeof CRASH_POINTS)[number];

/**
 * FAULT_CRASH_POINT=<projection>:<point>[:<batch>] (test:faults only; never set in production):
 * the projector SIGKILLs itself at `point` of the `batch`-th batch (1 = the first) that
 * `projection` handles. "after-write" is after the read model's write and before the checkpoint
 * or offset commit, so what was written is redelivered on restart.
 */
export interface CrashPoint {
  readonly projection: ProjectionName;
  readonly point: CrashPointName;
  readonly batch: number;
}

export function checkCrashPoint(text: string | undefined, projections: readonly ProjectionName[], problems: string[]): CrashPoint | undefined {
  if (text === undefined) return undefined;
  const [projection, point, batch = '1', ...rest] = text.split(':');
  const n = Number(batch);
  if (!projections.includes(projection as ProjectionName) || !CRASH_POINTS.includes(point as CrashPointName) || !Number.isInteger(n) || n < 1 || rest.length > 0) {
    problems.push(`FAULT_CRASH_POINT must be <${projections.join('|')}>:<${CRASH_POINTS.join('|')}>[:<batch from 1>], got "${text}"`);
    return undefined;
  }
  return { projection: projection as ProjectionName, point: point as CrashPointName, batch: n };
}
