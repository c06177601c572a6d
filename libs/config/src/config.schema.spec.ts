import { ConfigError, loadConfig } from './config.schema';

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
      reportingCurrency: 'USD',
      projections: ['postgres', 'clickhouse'],
    });
  });

  it('reports every bad key at once, naming each', () => {
    try {
      loadConfig({ PORT: 'abc', EVENT_LOG: 'redis', CLICKHOUSE_URL: 'ftp://x', REPORTING_CURRENCY: 'usd' });
      fail('expected a ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const text = (e as ConfigError).problems.join('\n');
      for (const key of ['PORT', 'EVENT_LOG', 'CLICKHOUSE_URL', 'REPORTING_CURRENCY']) expect(text).toContain(key);
    }
  });

  it('requires brokers for the kafka log', () => {
    expect(() => loadConfig({ EVENT_LOG: 'kafka' })).toThrow(/KAFKA_BROKERS is required/);
    expect(loadConfig({ EVENT_LOG: 'kafka', KAFKA_BROKERS: '127.0.0.1:9092, b:9093' }).kafkaBrokers).toEqual([
      '127.0.0.1:9092',
      'b:9093',
    ]);
  });
});
