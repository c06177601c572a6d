import { ConfigError, PROJECTION_NAMES, type ProjectionName } from '@funnel/config';

/** The `--projection postgres|clickhouse` argument of the maintenance commands. */
export function projectionArg(argv: readonly string[]): ProjectionName {
  const i = argv.indexOf('--projection');
  const value = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--projection='))?.split('=')[1];
  if (!value || !PROJECTION_NAMES.includes(value as ProjectionName)) {
    throw new ConfigError([`--projection must be one of ${PROJECTION_NAMES.join(', ')}, got "${value ?? ''}"`]);
  }
  return value as ProjectionName;
}
