import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const REPO_PACKAGE_NAME = 'funnel-ledger';

function isRepoRoot(dir: string): boolean {
  const manifest = join(dir, 'package.json');
  return existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === REPO_PACKAGE_NAME;
}

/**
 * The repository root: the nearest directory above this file whose package.json is
 * `funnel-ledger`. Found by walking up rather than by a fixed `../..`, because this file runs
 * both from libs/clickhouse/src (jest) and from dist/libs/clickhouse/src (node).
 */
export function repoRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (isRepoRoot(dir)) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json named ${REPO_PACKAGE_NAME} above ${__dirname}`);
  }
}
