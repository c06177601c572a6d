import { isTransientPostgresError } from './transient-error';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isTransientPostgresError', () => {
  it('retries deadlocks, shutdowns, resource limits and lost connections', () => {
    for (const code of ['40P01', '40001', '57P01', '57P03', '53300', '08006', '55P03', '58030']) expect(isTransientPostgresError(pgError(code))).toBe(true);
    expect(isTransientPostgresError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isTransientPostgresError(pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'))).toBe(true);
  });

  it('leaves data and integrity errors, and bugs, to the poison path', () => {
    for (const code of ['22P02', '22021', '23505', '42703']) expect(isTransientPostgresError(pgError(code))).toBe(false);
    expect(isTransientPostgresError(new TypeError("Cannot read properties of undefined (reading 'leadId')"))).toBe(false);
  });
});
