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

/**
 * True when `error` from a ClickHouse call is the engine's or the network's, not the rows': an
 * error without a ClickHouse exception (refused or reset connection, an HTTP error page) or one
 * of the codes above. Anything else ClickHouse rejected is about the statement or its rows.
 */
export function isTransientClickHouseError(error: unknown): boolean {
  return !(error instanceof ClickHouseQueryError) || TRANSIENT_CODES.has(error.code);
}
