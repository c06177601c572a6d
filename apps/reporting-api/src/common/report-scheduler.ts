/**
 * Who may run a report now (issue 12): at most `perKey` reports of one caller at once, up to
 * `queuePerKey` more waiting, and per lane at most `lanes[lane]` at once, so cheap reports
 * have slots of their own and never wait behind expensive ones. Pure bookkeeping, no clock:
 * waiting reports start first come, first served, as soon as their key and lane have room.
 */
export type Lane = 'cheap' | 'expensive';

export interface SchedulerLimits {
  readonly perKey: number;
  readonly queuePerKey: number;
  readonly lanes: Readonly<Record<Lane, number>>;
}

/** The caller has `perKey` reports running and `queuePerKey` waiting already. */
export class ReportQueueFullError extends Error {
  constructor(readonly limits: SchedulerLimits) {
    super(`more than ${limits.perKey} reports running and ${limits.queuePerKey} waiting for this key; retry later`);
  }
}

interface Waiting {
  readonly key: string;
  readonly lane: Lane;
  readonly start: () => void;
}

export class ReportScheduler {
  private readonly runningPerKey = new Map<string, number>();
  private readonly runningPerLane: Record<Lane, number> = { cheap: 0, expensive: 0 };
  private readonly waiting: Waiting[] = [];

  constructor(readonly limits: SchedulerLimits) {}

  /** Runs `task` when its turn comes; rejects at once with ReportQueueFullError when the key's queue is full. */
  run<T>(key: string, lane: Lane, task: () => Promise<T>): Promise<T> {
    const load = (this.runningPerKey.get(key) ?? 0) + this.waiting.filter((w) => w.key === key).length;
    if (load >= this.limits.perKey + this.limits.queuePerKey) return Promise.reject(new ReportQueueFullError(this.limits));
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        // A task that throws synchronously still frees its slot.
        void Promise.resolve()
          .then(task)
          .then(resolve, reject)
          .finally(() => this.finish(key, lane));
      };
      this.waiting.push({ key, lane, start });
      this.startWhatFits();
    });
  }

  /** Running and waiting counts, for tests and metrics. */
  stats(): { running: Readonly<Record<Lane, number>>; waiting: number } {
    return { running: { ...this.runningPerLane }, waiting: this.waiting.length };
  }

  private finish(key: string, lane: Lane): void {
    const left = (this.runningPerKey.get(key) ?? 1) - 1;
    if (left === 0) this.runningPerKey.delete(key);
    else this.runningPerKey.set(key, left);
    this.runningPerLane[lane] -= 1;
    this.startWhatFits();
  }

  private startWhatFits(): void {
    for (let i = 0; i < this.waiting.length; ) {
      const w = this.waiting[i];
      const fits = (this.runningPerKey.get(w.key) ?? 0) < this.limits.perKey && this.runningPerLane[w.lane] < this.limits.lanes[w.lane];
      if (!fits) {
        i += 1;
        continue;
      }
      this.waiting.splice(i, 1);
      this.runningPerKey.set(w.key, (this.runningPerKey.get(w.key) ?? 0) + 1);
      this.runningPerLane[w.lane] += 1;
      w.start();
    }
  }
}
