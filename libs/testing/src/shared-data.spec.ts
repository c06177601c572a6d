import { repoRoot } from '@funnel/clickhouse';
import { basename } from 'node:path';
import { sharedData } from './shared-data';

/** Records what `sharedData(...).it` registers, in place of jest's `it`. */
function recorder() {
  const registered: { kind: 'it' | 'todo' | 'beforeAll'; name: string; fn?: () => unknown }[] = [];
  const it = Object.assign((name: string, fn: () => unknown) => registered.push({ kind: 'it', name, fn }), {
    todo: (name: string) => registered.push({ kind: 'todo', name }),
  });
  const beforeAll = (fn: () => unknown) => registered.push({ kind: 'beforeAll', name: '', fn });
  return { registered, register: { it: it as unknown as jest.It, beforeAll: beforeAll as unknown as jest.Lifecycle } };
}

describe('sharedData', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
  });
  afterEach(() => warn.mockRestore());

  it('registers the real test when the data is there', () => {
    const { registered, register } = recorder();
    // ../shared/data/../../<repo> is the repository itself: a "data set" present on every clone.
    const data = sharedData(`../../${basename(repoRoot())}`, {}, register);
    let ran = false;
    data.beforeAll(() => undefined);
    data.it('reads it', () => {
      ran = true;
    });
    registered[1].fn?.();
    expect(data.available).toBe(true);
    expect([registered.map((r) => [r.kind, r.name]), ran]).toEqual([[['beforeAll', ''], ['it', 'reads it']], true]);
  });

  it('outside CI, lists a missing data set\'s tests as todo, skips its set-up and warns once, naming the path', () => {
    const { registered, register } = recorder();
    const data = sharedData('no-such-data-set', {}, register);
    data.beforeAll(() => undefined);
    data.it('first', () => undefined);
    data.it('second', () => undefined);
    expect(data.available).toBe(false);
    expect(registered).toEqual([
      { kind: 'todo', name: 'SKIPPED (no ../shared/data/no-such-data-set): first' },
      { kind: 'todo', name: 'SKIPPED (no ../shared/data/no-such-data-set): second' },
    ]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toMatch(/^skipping: \.\.\/shared\/data\/no-such-data-set not found at \/.*no-such-data-set/);
  });

  it('under CI=true, runs a missing data set\'s tests and fails them with the reason', () => {
    const { registered, register } = recorder();
    const data = sharedData('no-such-data-set', { CI: 'true' }, register);
    data.beforeAll(() => undefined);
    data.it('reads it', () => undefined);
    expect(registered.map((r) => [r.kind, r.name])).toEqual([['beforeAll', ''], ['it', 'reads it']]);
    expect(() => registered[1].fn?.()).toThrow(/no-such-data-set not found .*under CI=true the tests that read it must run/);
    expect(warn).not.toHaveBeenCalled();
  });
});
