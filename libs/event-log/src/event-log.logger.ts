/**
 * What the adapters log through. Nest's `Logger` fits it and so does `console`: the lib takes no
 * framework import, so it loads anywhere (Nest 12 is ESM-only, the adapters run under CommonJS).
 */
export interface EventLogLogger {
  error(message: string, stack?: string): void;
  warn(message: string): void;
}
