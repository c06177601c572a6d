import type { FieldError } from './envelope';
import { validateEvent } from './validate-event';

/** Helpers of the validation specs (not a spec itself). */
export const OCCURRED_AT = '2026-03-02T10:15:00Z';

export const validate = (raw: unknown) => validateEvent(raw, { reportingCurrency: 'USD' });

/** An event envelope around `data`, as a client sends it. */
export const raw = (type: string, data: unknown, extra: Record<string, unknown> = {}) => ({
  id: 'evt-1',
  type,
  occurredAt: OCCURRED_AT,
  data,
  ...extra,
});

export function errorsOf(input: unknown): FieldError[] {
  const result = validate(input);
  if (result.ok) throw new Error(`expected a rejection, got ${JSON.stringify(result.event)}`);
  return result.errors;
}

export const pathsOf = (input: unknown) => errorsOf(input).map((error) => error.path);
