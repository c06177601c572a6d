import { parseArgs } from 'node:util';
import { CsvInputError, MappingError } from '@funnel/import';
import { ServerError } from './http-sender';
import { DEFAULT_URL, runImport } from './run-import';

const USAGE = `usage: npm run import -- [--url URL] [--key KEY] [--dry-run] [--encoding latin1] --mapping <mapping.json> <file.csv>...

  --mapping   the import mapping (docs/imports.md; examples/ has Olist, HubSpot and Salesforce ones)
  --url       the running server (default ${DEFAULT_URL})
  --key       an API key with the ingest role, sent as Authorization: Bearer
  --dry-run   map and check every row, print the first events and the rejects, send nothing
  --encoding  the files' encoding when not UTF-8, e.g. latin1 (Windows-1252, as Excel saves)
`;

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        url: { type: 'string' },
        key: { type: 'string' },
        'dry-run': { type: 'boolean' },
        encoding: { type: 'string' },
        mapping: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (values.mapping === undefined || positionals.length === 0) {
    process.stderr.write(`${values.mapping === undefined ? '--mapping is required' : 'name at least one CSV file'}\n\n${USAGE}`);
    return 2;
  }
  try {
    const summary = await runImport({
      mapping: values.mapping,
      files: positionals,
      url: values.url,
      key: values.key ?? process.env.FUNNEL_API_KEY,
      dryRun: values['dry-run'],
      encoding: values.encoding,
    });
    return summary.rejectedRows > 0 ? 1 : 0;
  } catch (e) {
    if (e instanceof MappingError || e instanceof CsvInputError || e instanceof ServerError || (e as NodeJS.ErrnoException).code === 'ENOENT') {
      process.stderr.write(`import stopped: ${(e as Error).message}\n`);
      return 2;
    }
    throw e;
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    process.stderr.write(`import failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);
