/** Wait before retrying a failed batch, doubling per consecutive failure up to `maxMs`. */
export interface RetryBackoff {
  readonly initialMs: number;
  readonly maxMs: number;
}

/** 100 ms doubling up to 10 s: every adapter's default. */
export const DEFAULT_RETRY_BACKOFF: RetryBackoff = { initialMs: 100, maxMs: 10_000 };

/** The wait after the `failures`-th consecutive failure (1-based). */
export function backoffDelayMs(backoff: RetryBackoff, failures: number): number {
  return Math.min(backoff.initialMs * 2 ** (failures - 1), backoff.maxMs);
}
