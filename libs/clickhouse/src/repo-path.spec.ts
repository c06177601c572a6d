import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLICKHOUSE_MIGRATIONS_DIR, repoRoot } from './repo-path';

describe('repoRoot', () => {
  it('finds the funnel-ledger package above this file', () => {
    expect(JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')).name).toBe('funnel-ledger');
    expect(CLICKHOUSE_MIGRATIONS_DIR).toBe(join(repoRoot(), 'infra/clickhouse/migrations'));
    expect(existsSync(CLICKHOUSE_MIGRATIONS_DIR)).toBe(true);
  });
});
