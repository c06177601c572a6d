import { checkAccessConfig, type AccessConfig } from './access.config';
import { checkAlertConfig, type AlertConfig } from './alert-config';
import { checkCrashPoint, type CrashPoint } from './fault-config';
import { checkReportLimits, type ReportLimits } from './report-limits.config';
import { wholeNumber } from './whole-number';

/**
 * Environment configuration, validated once at start. Every bad key is reported together so a
 * user fixes their environment in one pass instead of one restart per mistake.
 */
export type EventLogKind = 'postgres' | 'kafka';
export type ProjectionName = 'postgres' | 'clickhouse';
/** See docs/operations.md, "Rebuilding a read model": a bulk load's state is compacted once it is over. */
export const DEFAULT_STATE_COMPACTION_EVENTS = 100_000;

export const PROJECTION_NAMES: readonly ProjectionName[] = ['postgres', 'clickhouse'];
/** pino's levels, most to least severe; `silent` logs nothing. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface AppConfig extends AccessConfig {
  readonly port: number;
  readonly dataDir: string;
  readonly eventLog: EventLogKind;
  /** Unset = embedded PostgreSQL (PGlite) under dataDir. */
  readonly databaseUrl?: string;
  /** Unset = embedded ClickHouse (chdb) under dataDir. */
  readonly clickhouseUrl?: string;
  readonly kafkaBrokers: readonly string[];
  readonly kafkaTopic: string;
  readonly reportingCurrency: string;
  readonly projections: readonly ProjectionName[];
  /** Browser origins allowed to call /graphql and /v1/reports (CORS); empty = none. */
  readonly corsOrigins: readonly string[];
  readonly logLevel: LogLevel;
  readonly alerts: AlertConfig;
  readonly reportLimits: ReportLimits;
  /** Events the ClickHouse projection applies before it compacts the state tables once the log is quiet; 0 = never (STATE_COMPACTION_EVENTS). */
  readonly stateCompactionEvents: number;
  /** The fault suite's self-kill of a projector (FAULT_CRASH_POINT); unset in any real run. */
  readonly crashPoint?: CrashPoint;
}

/**
 * LOG_LEVEL alone, for the logger that must exist before the rest of the environment is read:
 * an invalid value falls back to info here and is reported by loadConfig with every other problem.
 */
export function logLevelOf(env: Env): LogLevel {
  const level = env.LOG_LEVEL?.trim().toLowerCase();
  return LOG_LEVELS.includes(level as LogLevel) ? (level as LogLevel) : 'info';
}

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export type Env = Record<string, string | undefined>;

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function isUrl(value: string, protocols: readonly string[]): boolean {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** Per-use defaults the shared keys fall back to. */
export interface ConfigDefaults {
  readonly port: number;
}

/** The shared keys, checked; problems are collected rather than thrown so callers can add theirs. */
export function checkConfig(env: Env, defaults: ConfigDefaults = { port: 3000 }): { config: AppConfig; problems: string[] } {
  const problems: string[] = [];
  const get = (key: string) => {
    const v = env[key];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };

  const portText = get('PORT') ?? String(defaults.port);
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    problems.push(`PORT must be an integer from 0 to 65535, got "${portText}"`);
  }

  const eventLog = (get('EVENT_LOG') ?? 'postgres') as EventLogKind;
  if (eventLog !== 'postgres' && eventLog !== 'kafka') {
    problems.push(`EVENT_LOG must be "postgres" or "kafka", got "${eventLog}"`);
  }

  const databaseUrl = get('DATABASE_URL');
  if (databaseUrl && !isUrl(databaseUrl, ['postgres:', 'postgresql:'])) {
    problems.push(`DATABASE_URL must be a postgres:// URL, got "${databaseUrl}"`);
  }

  const clickhouseUrl = get('CLICKHOUSE_URL');
  if (clickhouseUrl && !isUrl(clickhouseUrl, ['http:', 'https:'])) {
    problems.push(`CLICKHOUSE_URL must be an http:// or https:// URL, got "${clickhouseUrl}"`);
  }

  const kafkaBrokers = list(get('KAFKA_BROKERS'));
  for (const broker of kafkaBrokers) {
    if (!/^[^\s:]+:\d{1,5}$/.test(broker)) problems.push(`KAFKA_BROKERS entry "${broker}" must be host:port`);
  }
  if (eventLog === 'kafka' && kafkaBrokers.length === 0) {
    problems.push('KAFKA_BROKERS is required when EVENT_LOG=kafka (e.g. 127.0.0.1:9092)');
  }

  const kafkaTopic = get('KAFKA_TOPIC') ?? 'funnel.events';
  if (!/^[A-Za-z0-9._-]{1,200}$/.test(kafkaTopic)) {
    problems.push(`KAFKA_TOPIC may hold only letters, digits, ".", "_" and "-", got "${kafkaTopic}"`);
  }

  const reportingCurrency = get('REPORTING_CURRENCY') ?? 'USD';
  if (!/^[A-Z]{3}$/.test(reportingCurrency)) {
    problems.push(`REPORTING_CURRENCY must be a 3-letter ISO code such as USD, got "${reportingCurrency}"`);
  }

  const projections = list(get('PROJECTIONS') ?? PROJECTION_NAMES.join(','));
  for (const p of projections) {
    if (!PROJECTION_NAMES.includes(p as ProjectionName)) {
      problems.push(`PROJECTIONS entry "${p}" is unknown; use ${PROJECTION_NAMES.join(', ')}`);
    }
  }

  const corsOrigins = list(get('CORS_ORIGINS'));
  for (const origin of corsOrigins) {
    // An origin is scheme://host[:port] exactly as a browser sends it: no path, no trailing slash.
    if (!isUrl(origin, ['http:', 'https:']) || new URL(origin).origin !== origin) {
      problems.push(`CORS_ORIGINS entry "${origin}" must be an origin such as https://bi.example.com (scheme, host and optional port; no path)`);
    }
  }
  const access = checkAccessConfig((key) => list(get(key)), get, problems);

  const logLevel = (get('LOG_LEVEL')?.toLowerCase() ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);

  const stateCompactionEvents = wholeNumber(get, problems, 'STATE_COMPACTION_EVENTS', {
    fallback: DEFAULT_STATE_COMPACTION_EVENTS,
    min: 0,
    rule: 'a whole number of events (0 = never compact)',
  });

  const config: AppConfig = {
    port,
    dataDir: get('DATA_DIR') ?? './data',
    eventLog,
    databaseUrl,
    clickhouseUrl,
    kafkaBrokers,
    kafkaTopic,
    ...access,
    reportingCurrency,
    projections: projections as ProjectionName[],
    corsOrigins,
    logLevel,
    alerts: checkAlertConfig(get, problems),
    reportLimits: checkReportLimits(get, problems),
    stateCompactionEvents,
    crashPoint: checkCrashPoint(get('FAULT_CRASH_POINT'), PROJECTION_NAMES, problems),
  };
  return { config, problems };
}

/** The configuration of embedded mode (`npm start`) and of the maintenance commands. */
export function loadConfig(env: Env = process.env): AppConfig {
  const { config, problems } = checkConfig(env);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
