// Three test tiers, one base config (npm run test:unit | test:int | test:e2e; npm test runs all),
// and the fault suite (npm run test:faults):
// - unit (*.spec.ts): pure logic, no build, no broker, no database; chdb and PGlite are mapped to
//   a stand-in that throws when used (test/unit-tier-guard.ts), so the tier never loads them.
// - int (*.int-spec.ts): against real PostgreSQL, PGlite, chdb and Kafka, and tests that compose
//   whole Nest applications (openapi.int-spec.ts), too slow to load for the fast loop.
// - e2e (*.e2e-spec.ts): spawns the built apps (test:e2e builds first) over HTTP and GraphQL.
// - faults (*.faults-spec.ts): kills, outages and restarts on purpose (test:faults builds first).
// Each test file runs in its own worker, so each may open its own chdb data directory (chdb
// allows one per process).
const swcOptions = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
};

const base = {
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test', '<rootDir>/bench'],
  transform: { '^.+\\.ts$': ['@swc/jest', swcOptions] },
  moduleNameMapper: { '^@funnel/([a-z-]+)$': '<rootDir>/libs/$1/src' },
  testTimeout: 60000,
  setupFiles: ['<rootDir>/test/quiet-logs.setup.ts'],
};

// Starts the local Kafka (infra/kafka/kafka.sh up) when nothing answers on 127.0.0.1:9092, and
// stops it afterwards only if it started it. A project's global setup runs only when one of its
// tests is selected, so the unit tier never touches the broker.
const withBroker = {
  globalSetup: '<rootDir>/test/kafka.global-setup.ts',
  globalTeardown: '<rootDir>/test/kafka.global-teardown.ts',
};

const tiers = [
  {
    ...base,
    displayName: 'unit',
    testRegex: '\\.spec\\.ts$',
    moduleNameMapper: {
      ...base.moduleNameMapper,
      '^(chdb|@electric-sql/pglite)(/.*)?$': '<rootDir>/test/unit-tier-guard.ts',
    },
  },
  { ...base, ...withBroker, displayName: 'int', testRegex: '\\.int-spec\\.ts$' },
  { ...base, ...withBroker, displayName: 'e2e', testRegex: '\\.e2e-spec\\.ts$' },
  // test:faults only, never in npm test: it kills servers on purpose and takes minutes, so it
  // runs on its own (.ci/run runs it after npm test).
  { ...base, displayName: 'faults', testRegex: '\\.faults-spec\\.ts$' },
];

// TEST_TIER=unit|int|e2e picks one tier (the test:* scripts); unset runs all three. An env
// variable rather than --selectProjects, which would swallow the test paths passed after it.
const tier = process.env.TEST_TIER;
const selected = tiers.filter((t) => (tier === undefined || tier === '' ? t.displayName !== 'faults' : t.displayName === tier));
if (selected.length === 0) throw new Error(`TEST_TIER=${tier}: expected unit, int, e2e or faults`);

module.exports = { testTimeout: base.testTimeout, projects: selected };
