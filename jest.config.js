// One jest config: unit specs (*.spec.ts) and integration specs (*.int-spec.ts) against real
// PostgreSQL, PGlite and chdb. Each test file runs in its own worker, so each may open its own
// chdb data directory (chdb allows one per process).
const swcOptions = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
};

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  testRegex: '.*\\.(spec|int-spec|e2e-spec)\\.ts$',
  transform: { '^.+\\.ts$': ['@swc/jest', swcOptions] },
  moduleNameMapper: { '^@funnel/([a-z-]+)$': '<rootDir>/libs/$1/src' },
  testTimeout: 60000,
  // Starts the local Kafka (infra/kafka/kafka.sh up) when nothing answers on 127.0.0.1:9092,
  // and stops it afterwards only if it started it.
  globalSetup: '<rootDir>/test/kafka.global-setup.ts',
  globalTeardown: '<rootDir>/test/kafka.global-teardown.ts',
};
