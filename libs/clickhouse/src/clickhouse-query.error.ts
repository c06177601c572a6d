/**
 * A statement ClickHouse rejected, the same from both adapters, so callers can branch on the
 * ClickHouse error code (e.g. 60 UNKNOWN_TABLE) without knowing which engine ran it.
 */
export class ClickHouseQueryError extends Error {
  override readonly name = 'ClickHouseQueryError';

  constructor(
    message: string,
    /** ClickHouse error code, e.g. 62. */
    readonly code: number,
    /** ClickHouse error name, e.g. SYNTAX_ERROR. */
    readonly type: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

// The text ClickHouse puts in an exception: `Code: 60. DB::Exception: <message>. (UNKNOWN_TABLE)`,
// possibly wrapped by another (distributed queries repeat the markers); the innermost one wins,
// as in @clickhouse/client's own parser.
const EXCEPTION_TEXT = /Code: (?<code>\d+).*Exception: (?<message>.+?)\((?<type>(?=[A-Z0-9_]*[A-Z]{3})[A-Z0-9_]+)\)/s;

/** Parses ClickHouse exception text; undefined when `text` is not one. */
export function parseClickHouseException(text: string, cause: unknown): ClickHouseQueryError | undefined {
  const groups = EXCEPTION_TEXT.exec(text)?.groups;
  if (!groups) return undefined;
  return new ClickHouseQueryError(groups.message.trim(), Number(groups.code), groups.type, { cause });
}
