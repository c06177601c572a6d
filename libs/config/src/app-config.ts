import { checkConfig, ConfigError, type AppConfig, type Env } from './config.schema';

/** The apps that also run as processes of their own (distributed mode). */
export type SeparateApp = 'ingest-api' | 'projector' | 'reporting-api';

/** Distinct defaults, so the three can run side by side on one machine without setting PORT. */
const DEFAULT_PORTS: Readonly<Record<SeparateApp, number>> = {
  'ingest-api': 3000,
  'reporting-api': 3001,
  projector: 3002,
};

/**
 * The environment of one app run as its own process. Beyond the shared keys it needs a
 * PostgreSQL server: embedded PGlite belongs to a single process, and the apps share the log (or,
 * with Kafka, ingest's id reservations), the read model and the dead letters.
 */
export function loadAppConfig(app: SeparateApp, env: Env = process.env): AppConfig {
  const { config, problems } = checkConfig(env, { port: DEFAULT_PORTS[app] });
  if (!config.databaseUrl) {
    problems.push(
      `DATABASE_URL is required to run ${app} as its own process (e.g. postgres://postgres@127.0.0.1:5432/funnel); embedded PostgreSQL serves one process only, use \`npm start\` for that`,
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
