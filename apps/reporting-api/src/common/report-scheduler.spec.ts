import { ReportQueueFullError, ReportScheduler, type Lane } from './report-scheduler';

/** A task the test finishes by hand, recording when it started. */
function gated(log: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { task: () => (log.push(`start ${name}`), done.then(() => name)), finish };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('ReportScheduler', () => {
  it('runs at most perKey reports of one key at once; the next starts when one ends', async () => {
    const scheduler = new ReportScheduler({ perKey: 2, queuePerKey: 10, lanes: { cheap: 10, expensive: 10 } });
    const log: string[] = [];
    const tasks = ['a', 'b', 'c'].map((n) => gated(log, n));
    const results = tasks.map((t) => scheduler.run('bi', 'cheap', t.task));
    await settle();
    expect(log).toEqual(['start a', 'start b']);
    tasks[0].finish();
    await expect(results[0]).resolves.toBe('a');
    await settle();
    expect(log).toEqual(['start a', 'start b', 'start c']);
  });

  it('keys do not share their slots', async () => {
    const scheduler = new ReportScheduler({ perKey: 1, queuePerKey: 10, lanes: { cheap: 10, expensive: 10 } });
    const log: string[] = [];
    scheduler.run('bi', 'cheap', gated(log, 'bi').task);
    scheduler.run('ops', 'cheap', gated(log, 'ops').task);
    await settle();
    expect(log).toEqual(['start bi', 'start ops']);
  });

  it('refuses a report beyond perKey running + queuePerKey waiting, and only for that key', async () => {
    const scheduler = new ReportScheduler({ perKey: 1, queuePerKey: 1, lanes: { cheap: 10, expensive: 10 } });
    const log: string[] = [];
    scheduler.run('bi', 'cheap', gated(log, '1').task);
    scheduler.run('bi', 'cheap', gated(log, '2').task);
    await expect(scheduler.run('bi', 'cheap', gated(log, '3').task)).rejects.toBeInstanceOf(ReportQueueFullError);
    scheduler.run('ops', 'cheap', gated(log, 'ops').task);
    await settle();
    expect(log).toEqual(['start 1', 'start ops']);
  });

  it('a cheap report starts while the expensive lane is full', async () => {
    const scheduler = new ReportScheduler({ perKey: 10, queuePerKey: 10, lanes: { cheap: 1, expensive: 1 } });
    const log: string[] = [];
    const lanes: [string, Lane][] = [['e1', 'expensive'], ['e2', 'expensive'], ['e3', 'expensive'], ['c1', 'cheap']];
    for (const [name, lane] of lanes) scheduler.run('bi', lane, gated(log, name).task);
    await settle();
    expect(log).toEqual(['start e1', 'start c1']);
    expect(scheduler.stats()).toEqual({ running: { cheap: 1, expensive: 1 }, waiting: 2 });
  });

  it('a failing task frees its slot and its caller gets the error', async () => {
    const scheduler = new ReportScheduler({ perKey: 1, queuePerKey: 1, lanes: { cheap: 1, expensive: 1 } });
    const failing = scheduler.run('bi', 'cheap', () => {
      throw new Error('boom');
    });
    const next = scheduler.run('bi', 'cheap', async () => 'next');
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('next');
    expect(scheduler.stats()).toEqual({ running: { cheap: 0, expensive: 0 }, waiting: 0 });
  });
});
