import { SingleBar } from 'cli-progress';

export interface Progress {
  update(rows: number, bytes: number): void;
  stop(): void;
}

const PLAIN_EVERY_MS = 5_000;

/**
 * A bar with rows/s and ETA (by bytes read) on a terminal; elsewhere (CI, a log file) a plain
 * line every few seconds, since a redrawn bar would fill the log.
 */
export function progress(file: string, totalBytes: number, stream: NodeJS.WriteStream, clock: () => number = Date.now): Progress {
  const started = clock();
  const rate = (rows: number) => Math.round(rows / Math.max((clock() - started) / 1000, 0.001));
  if (stream.isTTY) {
    const bar = new SingleBar(
      { format: `${file} [{bar}] {percentage}% | {rows} rows | {rate} rows/s | ETA {eta_formatted}`, stream, hideCursor: true, etaBuffer: 50 },
    );
    bar.start(Math.max(totalBytes, 1), 0, { rows: 0, rate: 0 });
    return {
      update: (rows, bytes) => bar.update(bytes, { rows, rate: rate(rows) }),
      stop: () => bar.stop(),
    };
  }
  let last = started;
  return {
    update(rows, bytes) {
      const now = clock();
      if (now - last < PLAIN_EVERY_MS) return;
      last = now;
      const pct = totalBytes > 0 ? Math.floor((100 * bytes) / totalBytes) : 100;
      stream.write(`${file}: ${rows} rows (${pct}%), ${rate(rows)} rows/s\n`);
    },
    stop() {},
  };
}
