import { logLevelOf, type LogLevel } from '@funnel/config';
import { Logger as NestLogger, type LoggerService } from '@nestjs/common';
import { Logger as PinoNestLogger, PinoLogger } from 'nestjs-pino';
import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';

/** Where logs go: stdout, or a stream in tests. A terminal gets human-readable lines. */
export type LogOutput = NodeJS.WritableStream & { readonly isTTY?: boolean };

/**
 * A root logger: one JSON object per line (for log shippers) unless `out` is a terminal, where
 * pino-pretty prints `[12:00:00.000] INFO (funnel-ledger): listening on ...`. Writes are
 * synchronous, so nothing is lost when a command exits right after logging.
 */
export function createLogger(name: string, level: LogLevel, out: LogOutput = process.stdout): Logger {
  const destination = out.isTTY
    ? pretty({ destination: out, sync: true, colorize: true, ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss.l' })
    : out;
  return pino({ name, level }, destination);
}

/**
 * Nest logs every module, route and GraphQL resolver it wires at `log`; that start-up chatter
 * goes to debug, so info shows what the app does. Everything else passes to nestjs-pino.
 */
const NEST_START_UP_CONTEXTS = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication', 'GraphQLModule']);

class AppNestLogger implements LoggerService {
  constructor(private readonly inner: PinoNestLogger) {}
  log(message: unknown, ...rest: unknown[]): void {
    const context = rest[rest.length - 1];
    if (typeof context === 'string' && NEST_START_UP_CONTEXTS.has(context)) this.inner.debug(message, ...rest);
    else this.inner.log(message, ...rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.inner.error(message, ...rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.inner.warn(message, ...rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.inner.debug(message, ...rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.inner.verbose(message, ...rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.inner.fatal(message, ...rest);
  }
}

let processLogger: { root: Logger; nest: LoggerService } | undefined;

/**
 * Makes `root` the logger of this process: Nest's own `Logger` (which the adapters, the
 * projection runner and kafkajs's log creator use) writes through it from now on.
 */
export function useProcessLogger(root: Logger): Logger {
  const nest = new AppNestLogger(new PinoNestLogger(new PinoLogger({ pinoHttp: { logger: root } }), {}));
  NestLogger.overrideLogger(nest);
  processLogger = { root, nest };
  return root;
}

/** The process's logger (runMain sets it); in-process tests and tools get one at LOG_LEVEL. */
export function appLogger(): Logger {
  return (processLogger ?? { root: useProcessLogger(createLogger('funnel-ledger', logLevelOf(process.env))) }).root;
}

/** The same logger as Nest's LoggerService, for NestFactory.create. */
export function appNestLogger(): LoggerService {
  appLogger();
  return (processLogger as { nest: LoggerService }).nest;
}

/**
 * Lines a user ran the command to see (the start-up banner that spawnApp and the README rely
 * on, a command's result) print at info even when LOG_LEVEL is warn or error.
 */
export function announcer(root: Logger = appLogger()): Logger {
  return root.isLevelEnabled('info') ? root : root.child({}, { level: 'info' });
}
