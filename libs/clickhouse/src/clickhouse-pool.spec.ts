import type { ClickHouse } from './clickhouse.port';
import { ClickHousePool } from './clickhouse-pool';

/** A connection that runs one query at a time, as a chdb session does, and records the overlap. */
function serialConnection(name: string, log: string[]): ClickHouse & { release(): void } {
  let release: () => void = () => undefined;
  let busy = false;
  const run = async <T>(sql: string): Promise<T[]> => {
    if (busy) throw new Error(`${name} got a second query while busy`);
    busy = true;
    log.push(`${name}:${sql}`);
    await new Promise<void>((resolve) => (release = resolve));
    busy = false;
    return [{ on: name } as T];
  };
  return {
    release: () => release(),
    query: run,
    command: async (sql) => void (await run(sql)),
    insert: async (table) => void (await run(table)),
    withSettings: async () => serialConnection(`${name}'`, log),
    close: async () => undefined,
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('ClickHousePool', () => {
  it('runs one call per connection at once and hands a freed connection to the oldest waiting call', async () => {
    const log: string[] = [];
    const [a, b] = [serialConnection('a', log), serialConnection('b', log)];
    const pool = new ClickHousePool([a, b]);
    const answers = ['q1', 'q2', 'q3', 'q4'].map((sql) => pool.query<{ on: string }>(sql));
    await tick();
    expect(log).toEqual(['b:q1', 'a:q2']);
    b.release();
    await tick();
    expect(log).toEqual(['b:q1', 'a:q2', 'b:q3']);
    a.release();
    await tick();
    b.release();
    await tick();
    a.release();
    expect((await Promise.all(answers)).map(([row]) => row.on)).toEqual(['b', 'a', 'b', 'a']);
    expect(log).toEqual(['b:q1', 'a:q2', 'b:q3', 'a:q4']);
  });

  it('frees the connection of a call that fails', async () => {
    const failing: ClickHouse = {
      query: async () => {
        throw new Error('boom');
      },
      command: async () => undefined,
      insert: async () => undefined,
      withSettings: async () => failing,
      close: async () => undefined,
    };
    const pool = new ClickHousePool([failing]);
    await expect(pool.query('x')).rejects.toThrow('boom');
    await expect(pool.command('y')).resolves.toBeUndefined();
  });

  it('refuses to be empty', () => {
    expect(() => new ClickHousePool([])).toThrow('at least one connection');
  });
});
