import { repoRoot } from '@funnel/clickhouse';
import { join } from 'node:path';

/** The committed schema BI tools and reviewers read; a test fails when it is stale. */
export const SCHEMA_FILE = join(repoRoot(), 'schema.graphql');
