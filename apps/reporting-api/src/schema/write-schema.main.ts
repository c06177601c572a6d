import { writeFileSync } from 'node:fs';
import { printReportingSchema } from './print-schema';
import { SCHEMA_FILE } from './schema-file';

/** `npm run schema`: regenerates schema.graphql from the resolvers. */
printReportingSchema()
  .then((sdl) => {
    writeFileSync(SCHEMA_FILE, sdl);
    console.log(`wrote ${SCHEMA_FILE}`);
  })
  .catch((e) => {
    console.error(e);
    process.exit(1);
  });
