import { repoRoot } from '@funnel/clickhouse';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OPENAPI_FILE, committedOpenApiText } from './openapi-file';

/** `npm run openapi`: regenerates openapi.json from the endpoints' declarations. */
const file = join(repoRoot(), OPENAPI_FILE);
writeFileSync(file, committedOpenApiText());
console.log(`wrote ${file}`);
