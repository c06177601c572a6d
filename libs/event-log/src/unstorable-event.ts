/**
 * Whether an append failed because of what an event holds rather than because the store is
 * unreachable: a PostgreSQL data exception (SQLSTATE class 22, e.g. a NUL in jsonb or a
 * timestamp out of range) or program limit (class 54), or a Kafka message over the size limit.
 * Validation is meant to make these impossible; if one still happens, ingest isolates the event
 * that causes it instead of failing its whole batch.
 */
export function isUnstorableEventError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, type } = error as { code?: unknown; type?: unknown };
  if (typeof code === 'string' && /^(22|54)[0-9A-Z]{3}$/.test(code)) return true;
  return type === 'MESSAGE_TOO_LARGE';
}
