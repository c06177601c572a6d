import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Every regular file under `dir`, recursively (sockets, links and the like are skipped). */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path);
    return entry.isFile() && lstatSync(path).isFile() ? [path] : [];
  });
}

/**
 * Which of `needles` (text as UTF-8, or raw bytes) occur, byte for byte, in which file under
 * `dir`: for proving that a value never reached a store's files, whatever the store.
 */
export function filesContaining(dir: string, needles: readonly (string | Buffer)[]): { file: string; needle: string }[] {
  const wanted = needles.map((n) => ({ needle: typeof n === 'string' ? n : `0x${n.toString('hex')}`, bytes: typeof n === 'string' ? Buffer.from(n, 'utf8') : n }));
  return filesUnder(dir).flatMap((file) => {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch {
      return []; // removed while we walked (a merge, a checkpoint)
    }
    return wanted.filter((w) => bytes.includes(w.bytes)).map(({ needle }) => ({ file, needle }));
  });
}
