import { mappingJsonSchema } from '@funnel/import';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** `npm run schema:mapping`: rewrites docs/schema/mapping.schema.json from the mapping's zod schema. */
const path = join(__dirname, '../../../../../docs/schema/mapping.schema.json');
writeFileSync(path, `${JSON.stringify(mappingJsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${path}\n`);
