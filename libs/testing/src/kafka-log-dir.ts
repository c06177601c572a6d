import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

/**
 * Where the local test broker keeps its log segments: its `log.dirs`, read from the
 * server.properties on the command line of the running `kafka.Kafka` process and resolved against
 * its working directory (infra/kafka/kafka.sh starts it from the checkout that ran `up`, which
 * need not be this one). KAFKA_LOG_DIR overrides it, for a broker that is not a local process.
 */
export function kafkaLogDir(): string {
  if (process.env.KAFKA_LOG_DIR) return process.env.KAFKA_LOG_DIR;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let args: string[];
    try {
      args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    } catch {
      continue; // gone, or not ours to read
    }
    if (!args.includes('kafka.Kafka')) continue;
    const cwd = readlinkSync(`/proc/${pid}/cwd`);
    const properties = resolve(cwd, args[args.length - 1]);
    const logDirs = /^log\.dirs\s*=\s*(.+)$/m.exec(readFileSync(properties, 'utf8'))?.[1].trim();
    if (!logDirs) throw new Error(`${properties} sets no log.dirs`);
    const first = logDirs.split(',')[0].trim();
    return isAbsolute(first) ? first : join(cwd, first);
  }
  throw new Error('no local kafka.Kafka process found; set KAFKA_LOG_DIR to the broker\'s log directory');
}
