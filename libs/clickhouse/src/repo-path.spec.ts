import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './repo-path';

describe('repoRoot', () => {
  it('finds the funnel-ledger package above this file', () => {
    expect(JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')).name).toBe('funnel-ledger');
  });
});
