import { ClickHouseQueryError } from './clickhouse-query.error';
import { isTransientClickHouseError } from './transient-error';

describe('isTransientClickHouseError', () => {
  it('retries overload, timeouts and lost connections', () => {
    expect(isTransientClickHouseError(new ClickHouseQueryError('Too many parts', 252, 'TOO_MANY_PARTS'))).toBe(true);
    expect(isTransientClickHouseError(new ClickHouseQueryError('Memory limit', 241, 'MEMORY_LIMIT_EXCEEDED'))).toBe(true);
    expect(isTransientClickHouseError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8123'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isTransientClickHouseError(new Error('socket hang up'))).toBe(true);
  });

  it('leaves what ClickHouse said about the rows or the statement to the poison path', () => {
    expect(isTransientClickHouseError(new ClickHouseQueryError('Cannot parse input', 27, 'CANNOT_PARSE_INPUT_ASSERTION_FAILED'))).toBe(false);
    expect(isTransientClickHouseError(new ClickHouseQueryError('Type mismatch', 53, 'TYPE_MISMATCH'))).toBe(false);
    expect(isTransientClickHouseError(new Error('Unhandled event type LeadTeleported'))).toBe(false);
  });
});
