import { ClickHouseQueryError } from './clickhouse-query.error';

/**
 * ClickHouse error codes that say the engine could not take the write now, whatever the rows:
 * overload, limits, timeouts, a replica or keeper away, a cancelled query. Retrying later
 * succeeds; dead-lettering the events would lose good data.
 */
const TRANSIENT_CODES = new Set([
  3, // UNEXPECTED_END_OF_FILE (a connection cut mid-stream)
  159, // TIMEOUT_EXCEEDED
  160, // TOO_SLOW
  164, // READONLY
  202, // TOO_MANY_SIMULTANEOUS_QUERIES
  203, // NO_FREE_CONNECTION
  209, // SOCKET_TIMEOUT
  210, // NETWORK_ERROR
  225, // NO_ZOOKEEPER
  236, // ABORTED
  241, // MEMORY_LIMIT_EXCEEDED
  242, // TABLE_IS_READ_ONLY
  252, // TOO_MANY_PARTS
  285, // TOO_FEW_LIVE_REPLICAS
  319, // UNKNOWN_STATUS_OF_INSERT
  394, // QUERY_WAS_CANCELLED
  425, // SYSTEM_ERROR
  999, // KEEPER_EXCEPTION
]);

// What a lost connection or an HTTP error page looks like from @clickhouse/client or Node.
const LOST_CONNECTION = /socket hang up|ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|Timeout error|Service Unavailable|\b50[234]\b/i;

/**
 * True when `error` from a ClickHouse call is the engine's or the network's, not the rows': one
 * of the codes above, a Node socket error, or a connection lost or refused. Anything else (what
 * ClickHouse said about the statement or its rows, or an event the mapping cannot handle) may be
 * the events' fault, so it goes the poison way.
 */
export function isTransientClickHouseError(error: unknown): boolean {
  if (error instanceof ClickHouseQueryError) return TRANSIENT_CODES.has(error.code);
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return true;
  return error instanceof Error && LOST_CONNECTION.test(error.message);
}
