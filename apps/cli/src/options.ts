import { PROJECTION_NAMES } from '@funnel/config';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { DEFAULT_SERVER_URL } from './server-client';

/** `--url` and `--key` of the commands that talk to a running server. */
export function withServerOptions(command: Command): Command {
  return command
    .addOption(new Option('--url <url>', 'base URL of the running server').env('FUNNEL_URL').default(DEFAULT_SERVER_URL).argParser(httpUrl))
    .addOption(new Option('--key <key>', 'API key, when the server sets API_KEYS').env('FUNNEL_API_KEY'));
}

/** `--projection postgres|clickhouse`. */
export function projectionOption(description: string): Option {
  return new Option('--projection <name>', description).choices(PROJECTION_NAMES);
}

export function httpUrl(value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || !['http:', 'https:'].includes(url.protocol)) {
    throw new InvalidArgumentError(`must be an http(s) URL such as ${DEFAULT_SERVER_URL}`);
  }
  return value;
}

/** A whole number within [min, max], for counts and versions. */
export function wholeNumber(min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || n < min || n > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max.toLocaleString('en-US')}`;
      throw new InvalidArgumentError(`must be a whole number ${range}`);
    }
    return n;
  };
}

/** An ISO-8601 instant with Z or an offset, as ingest reads `occurredAt`. */
export function instant(value: string): Date {
  const ms = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) || Number.isNaN(ms)) {
    throw new InvalidArgumentError('must be an ISO-8601 instant with Z or an offset, such as 2026-11-15T12:00:00Z');
  }
  return new Date(ms);
}
