import { repoRoot } from '@funnel/clickhouse';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface SharedData {
  /** Absolute path of `../shared/data/<relative>` beside the repository. */
  readonly path: string;
  readonly available: boolean;
  /** `it` for a test that reads this data; see `sharedData`. */
  readonly it: (name: string, fn: jest.ProvidesCallback, timeout?: number) => void;
  /** `beforeAll` for set-up that reads this data (or starts a server for it); skipped with its tests. */
  readonly beforeAll: (fn: jest.ProvidesHookCallback, timeout?: number) => void;
}

/**
 * Real data sets (the Olist CSVs) live in the project workspace's `../shared/data`, never in the
 * repository: their licence forbids copying them in. A fresh clone has no such folder, and its
 * `npm test` must still pass and say why these tests did not run, so, when the data is missing:
 *
 * - outside CI, each test is registered as a *todo* named "SKIPPED (no ../shared/data/...)" and
 *   one warning names the missing path. Jest lists it as todo, not as passed: nothing pretends
 *   the data was checked, and there is no `it.skip` to forget in the code;
 * - under `CI=true`, each test runs and fails with that message, because CI must check the data.
 *
 * Jest still runs the hooks of a block that holds only todos: set-up that needs the data goes in
 * this object's `beforeAll`, which does nothing when the tests are todos.
 */
export function sharedData(
  relative: string,
  env: NodeJS.ProcessEnv = process.env,
  jestApi: { readonly it: jest.It; readonly beforeAll: jest.Lifecycle } = { it, beforeAll },
): SharedData {
  const register = jestApi.it;
  const path = join(repoRoot(), '../shared/data', relative);
  const available = existsSync(path);
  const missing = `../shared/data/${relative} not found at ${path} (the shared folder beside the repository)`;
  const runs = available || env.CI === 'true';
  let warned = false;
  return {
    path,
    available,
    beforeAll(fn, timeout) {
      if (runs) jestApi.beforeAll(fn, timeout);
    },
    it(name, fn, timeout) {
      if (available) return register(name, fn, timeout);
      if (env.CI === 'true') {
        return register(name, () => {
          throw new Error(`${missing}; under CI=true the tests that read it must run`);
        }, timeout);
      }
      if (!warned) {
        console.warn(`skipping: ${missing}; the tests that read it are listed as todo. Under CI=true they fail instead.`);
        warned = true;
      }
      register.todo(`SKIPPED (no ../shared/data/${relative}): ${name}`);
    },
  };
}
