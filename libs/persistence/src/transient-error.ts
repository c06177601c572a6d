/**
 * SQLSTATE classes that say PostgreSQL could not take the write now, whatever the rows:
 * connection exceptions (08), transaction rollbacks such as deadlocks and serialisation failures
 * (40), insufficient resources (53), operator intervention such as a shutdown or a cancelled
 * statement (57), system errors (58), and lock_not_available (55P03).
 */
const TRANSIENT_CLASSES = new Set(['08', '40', '53', '57', '58']);

// node-postgres reports a lost or refused connection without a SQLSTATE.
const LOST_CONNECTION = /Connection terminated|connection timeout|Connection refused|ECONNREFUSED|ECONNRESET|EPIPE|the database system is (starting up|shutting down)/i;

/** True when `error` from a read-model write is the server's or the connection's, not the rows'. */
export function isTransientPostgresError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return TRANSIENT_CLASSES.has(code.slice(0, 2)) || code === '55P03';
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return true; // a Node socket error
  return error instanceof Error && LOST_CONNECTION.test(error.message);
}
