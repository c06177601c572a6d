import { repoRoot } from '@funnel/clickhouse';
import { EVENT_SCHEMA_FILE, eventSchemaDocument } from '@funnel/contracts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** `npm run docs:schema`: regenerates docs/schema/events.schema.json from libs/contracts. */
const file = join(repoRoot(), EVENT_SCHEMA_FILE);
writeFileSync(file, eventSchemaDocument());
console.log(`wrote ${file}`);
