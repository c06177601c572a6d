import { loadAppConfig } from './app-config';
import { ConfigError, loadConfig } from './config.schema';
import { DEFAULT_REPORT_LIMITS } from './report-limits.config';

/** The ConfigError `load` throws; fails the test when it throws nothing or something else. */
function configErrorOf(load: () => unknown): ConfigError {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError, but the configuration loaded');
}

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      dataDir: './data',
      eventLog: 'postgres',
      databaseUrl: undefined,
      clickhouseUrl: undefined,
      kafkaBrokers: [],
      kafkaTopic: 'funnel.events',
      apiKeys: [],
      signers: [],
      host: '127.0.0.1',
      metricsOpen: false,
      rateLimitPerMinute: 1200,
      reportingCurrency: 'USD',
      projections: ['postgres', 'clickhouse'],
      corsOrigins: [],
      logLevel: 'info',
      alerts: { slaCheckSeconds: 30, maxAgeHours: 24 },
      reportLimits: DEFAULT_REPORT_LIMITS,
      stateCompactionEvents: 100_000,
    });
  });

  it('reads STATE_COMPACTION_EVENTS (0 turns compaction off) and names a bad value', () => {
    expect(loadConfig({ STATE_COMPACTION_EVENTS: '0' }).stateCompactionEvents).toBe(0);
    expect(loadConfig({ STATE_COMPACTION_EVENTS: '250000' }).stateCompactionEvents).toBe(250_000);
    for (const bad of ['-1', '1.5', 'often']) expect(() => loadConfig({ STATE_COMPACTION_EVENTS: bad })).toThrow(`STATE_COMPACTION_EVENTS must be a whole number of events (0 = never compact), got "${bad}"`);
  });

  it('reads the SLA alert keys and names each bad one', () => {
    const env = { SLA_CHECK_SECONDS: '5', ALERT_WEBHOOK_URL: 'http://127.0.0.1:9/hook', ALERT_WEBHOOK_SECRET: 's3', ALERT_MAX_AGE_HOURS: '48' };
    expect(loadConfig(env).alerts).toEqual({ slaCheckSeconds: 5, webhookUrl: 'http://127.0.0.1:9/hook', webhookSecret: 's3', maxAgeHours: 48 });
    expect(() => loadConfig({ SLA_CHECK_SECONDS: '-1', ALERT_WEBHOOK_URL: 'ftp://x', ALERT_MAX_AGE_HOURS: 'soon' })).toThrow(
      /SLA_CHECK_SECONDS[\s\S]*ALERT_MAX_AGE_HOURS[\s\S]*ALERT_WEBHOOK_URL/,
    );
  });

  it('reads the fault suite\'s FAULT_CRASH_POINT and names a bad one', () => {
    expect(loadConfig({}).crashPoint).toBeUndefined();
    expect(loadConfig({ FAULT_CRASH_POINT: 'clickhouse:after-write' }).crashPoint).toEqual({ projection: 'clickhouse', point: 'after-write', batch: 1 });
    expect(loadConfig({ FAULT_CRASH_POINT: 'postgres:mid-batch:3' }).crashPoint).toEqual({ projection: 'postgres', point: 'mid-batch', batch: 3 });
    for (const bad of ['clickhouse', 'elastic:before-write', 'postgres:later', 'postgres:after-write:0', 'postgres:after-write:1:2']) {
      expect(() => loadConfig({ FAULT_CRASH_POINT: bad })).toThrow(`FAULT_CRASH_POINT must be <postgres|clickhouse>:<before-write|mid-batch|after-write>[:<batch from 1>], got "${bad}"`);
    }
  });

  it('reads CORS_ORIGINS as an allow-list of origins and names a bad entry', () => {
    expect(loadConfig({ CORS_ORIGINS: 'https://bi.example.com, http://localhost:8080' }).corsOrigins).toEqual([
      'https://bi.example.com',
      'http://localhost:8080',
    ]);
    expect(() => loadConfig({ CORS_ORIGINS: 'https://bi.example.com/dash' })).toThrow(/CORS_ORIGINS entry "https:\/\/bi.example.com\/dash"/);
    expect(() => loadConfig({ CORS_ORIGINS: '*' })).toThrow(/CORS_ORIGINS/);
  });

  it('reports every bad key at once, naming each', () => {
    const error = configErrorOf(() =>
      loadConfig({ PORT: 'abc', EVENT_LOG: 'redis', CLICKHOUSE_URL: 'ftp://x', REPORTING_CURRENCY: 'usd', LOG_LEVEL: 'loud' }),
    );
    const text = error.problems.join('\n');
    for (const key of ['PORT', 'EVENT_LOG', 'CLICKHOUSE_URL', 'REPORTING_CURRENCY', 'LOG_LEVEL']) expect(text).toContain(key);
  });

  it('reads LOG_LEVEL in any case', () => {
    expect(loadConfig({ LOG_LEVEL: 'DEBUG' }).logLevel).toBe('debug');
  });

  it('requires brokers for the kafka log', () => {
    expect(() => loadConfig({ EVENT_LOG: 'kafka' })).toThrow(/KAFKA_BROKERS is required/);
    expect(loadConfig({ EVENT_LOG: 'kafka', KAFKA_BROKERS: '127.0.0.1:9092, b:9093' }).kafkaBrokers).toEqual([
      '127.0.0.1:9092',
      'b:9093',
    ]);
  });
});

describe('loadAppConfig', () => {
  const server = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/funnel' };

  it('gives each separately run app its own default port', () => {
    expect(loadAppConfig('ingest-api', server).port).toBe(3000);
    expect(loadAppConfig('reporting-api', server).port).toBe(3001);
    expect(loadAppConfig('projector', server).port).toBe(3002);
    expect(loadAppConfig('projector', { ...server, PORT: '0' }).port).toBe(0);
  });

  it('requires a PostgreSQL server, and reports it together with every other bad key', () => {
    const { problems } = configErrorOf(() =>
      loadAppConfig('projector', { EVENT_LOG: 'kafka', KAFKA_TOPIC: 'funnel events', PROJECTIONS: 'postgres,redis' }),
    );
    expect(problems).toHaveLength(4);
    for (const key of ['KAFKA_BROKERS', 'KAFKA_TOPIC', 'PROJECTIONS', 'DATABASE_URL is required to run projector']) {
      expect(problems.join('\n')).toContain(key);
    }
  });

  it('reads the Kafka settings of distributed mode', () => {
    expect(
      loadAppConfig('ingest-api', { ...server, EVENT_LOG: 'kafka', KAFKA_BROKERS: 'kafka:9092', KAFKA_TOPIC: 'staging.funnel.events' }),
    ).toMatchObject({ eventLog: 'kafka', kafkaBrokers: ['kafka:9092'], kafkaTopic: 'staging.funnel.events' });
  });
});
