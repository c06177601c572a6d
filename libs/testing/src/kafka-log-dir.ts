import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

/**
 * The log directories of the local Kafka brokers: each running `kafka.Kafka` process's
 * `log.dirs`, read from the server.properties on its command line and resolved against its
 * working directory (infra/kafka/kafka.sh starts it from the checkout that ran `up`, which need
 * not be this one, and a second checkout's broker may be running beside it).
 * KAFKA_LOG_DIR overrides them, for a broker that is not a local process.
 */
export function kafkaLogDirs(): string[] {
  if (process.env.KAFKA_LOG_DIR) return [process.env.KAFKA_LOG_DIR];
  const dirs = readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .flatMap((pid) => {
      try {
        const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
        if (!args.includes('kafka.Kafka')) return [];
        const cwd = readlinkSync(`/proc/${pid}/cwd`);
        const logDirs = /^log\.dirs\s*=\s*(.+)$/m.exec(readFileSync(resolve(cwd, args[args.length - 1]), 'utf8'))?.[1] ?? '';
        return logDirs.split(',').map((d) => d.trim()).filter(Boolean).map((d) => (isAbsolute(d) ? d : join(cwd, d)));
      } catch {
        return []; // gone meanwhile, or not ours to read
      }
    });
  if (dirs.length === 0) throw new Error('no local kafka.Kafka process found; set KAFKA_LOG_DIR to the broker\'s log directory');
  return dirs;
}

/** The partition directories of `topic` (and of its `<topic>.dlq` and the like) on the local brokers. */
export function kafkaTopicDirs(topic: string): string[] {
  return kafkaLogDirs()
    .filter((dir) => existsSync(dir))
    .flatMap((dir) => readdirSync(dir).filter((d) => d.startsWith(`${topic}-`) || d.startsWith(`${topic}.`)).map((d) => join(dir, d)));
}
