import { once } from 'node:events';
import { createWriteStream, rmSync, type WriteStream } from 'node:fs';
import type { RejectedRow } from '@funnel/import';

const quote = (cell: string) => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
const line = (cells: readonly string[]) => `${cells.map(quote).join(',')}\n`;

/**
 * `<file>.rejects.csv`: the original columns first, so the file can be fixed and imported again
 * with the same mapping, then `_row` (as a spreadsheet numbers it) and `_reason`. Created at the
 * first rejected row; a stale one from an earlier run is removed when nothing is rejected.
 */
export class RejectsFile {
  private out: WriteStream | undefined;
  private header: readonly string[] = [];
  count = 0;

  constructor(readonly path: string) {}

  setHeader(header: readonly string[]): void {
    this.header = header;
  }

  async write(r: RejectedRow): Promise<void> {
    if (!this.out) {
      this.out = createWriteStream(this.path);
      this.out.write(line([...this.header, '_row', '_reason']));
    }
    this.count++;
    if (!this.out.write(line([...r.cells, String(r.row), r.reason]))) await once(this.out, 'drain');
  }

  async close(): Promise<void> {
    if (!this.out) {
      rmSync(this.path, { force: true });
      return;
    }
    const out = this.out;
    await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  }
}
