import type { FieldError } from '@funnel/contracts';

/** A response may always spend this much on error details, however small its request. */
export const MIN_ERROR_BUDGET_BYTES = 64 * 1024;

/**
 * Keeps the error details of a batch's response within `budgetBytes` (the request's size, at
 * least MIN_ERROR_BUDGET_BYTES), so that a body of tiny bad events cannot be answered with a
 * response many times its size. Events are reported in order: each keeps all its errors while
 * the budget lasts; past it, every further rejected event keeps its first error only, so each is
 * still reported and named (DESIGN §2: none is dropped silently). Returns how many were cut.
 */
export function trimToErrorBudget(rejected: { errors: FieldError[] }[], budgetBytes: number): number {
  let spent = 0;
  let cut = 0;
  for (const entry of rejected) {
    spent += Buffer.byteLength(JSON.stringify(entry.errors));
    if (spent <= budgetBytes || entry.errors.length <= 1) continue;
    entry.errors = entry.errors.slice(0, 1);
    cut++;
  }
  return cut;
}
