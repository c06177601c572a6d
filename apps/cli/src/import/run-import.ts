import { createReadStream, readFileSync, statSync } from 'node:fs';
import {
  addSummary,
  checkHeader,
  compileMapping,
  emptySummary,
  importCsv,
  MappingError,
  readCsvHeader,
  type CompiledMapping,
  type ImportedEvent,
  type ImportSummary,
  type RejectedRow,
} from '@funnel/import';
import { httpSender } from './http-sender';
import { progress } from './progress';
import { RejectsFile } from './rejects-file';

export const DEFAULT_URL = 'http://127.0.0.1:3000';
const PREVIEW_EVENTS = 10;
const PREVIEW_REJECTS = 10;

export interface RunImportOptions {
  readonly mapping: string;
  readonly files: readonly string[];
  /** Default http://127.0.0.1:3000. */
  readonly url?: string;
  /** Sent as `Authorization: Bearer`. */
  readonly key?: string;
  /** Map and check every row, print the first events and the rejects; send nothing, write nothing. */
  readonly dryRun?: boolean;
  readonly encoding?: string;
  /** Where messages, progress and the summary go (default stderr for progress, stdout for the rest). */
  readonly out?: NodeJS.WritableStream;
  readonly progressStream?: NodeJS.WriteStream;
}

export function loadMapping(path: string): CompiledMapping {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new MappingError([{ path: '(file)', message: `cannot read ${path} as JSON: ${(e as Error).message}` }]);
  }
  return compileMapping(json);
}

/** The per-type table printed at the end of an import. */
export function formatSummary(summary: ImportSummary, dryRun: boolean): string {
  const types = Object.entries(summary.byType).sort(([a], [b]) => a.localeCompare(b));
  const cols = dryRun ? ['events', 'rejected'] : ['accepted', 'duplicates', 'rejected'];
  const width = Math.max(10, ...types.map(([t]) => t.length));
  const rows = [
    ['type'.padEnd(width), ...cols.map((c) => c.padStart(10))].join(' '),
    ...types.map(([t, c]) => [t.padEnd(width), ...cols.map((k) => String(c[k as keyof typeof c]).padStart(10))].join(' ')),
  ];
  const totals = dryRun
    ? `${summary.rows} rows, ${types.reduce((n, [, c]) => n + c.events, 0)} events would be sent, ${summary.rejectedRows} rows rejected`
    : `${summary.rows} rows: ${summary.accepted} accepted, ${summary.duplicates} duplicates, ${summary.rejected} rejected events (${summary.rejectedRows} rows rejected)`;
  return `${rows.join('\n')}\n${totals}\n`;
}

/**
 * `npm run import` and `funnel import`: streams each file through the mapping into a running
 * server's POST /v1/events. Every file's header is checked before anything is sent.
 */
export async function runImport(options: RunImportOptions): Promise<ImportSummary> {
  const out = options.out ?? process.stdout;
  const progressStream = options.progressStream ?? process.stderr;
  const mapping = loadMapping(options.mapping);
  for (const file of options.files) {
    const header = await readCsvHeader(createReadStream(file), { encoding: options.encoding, delimiter: mapping.delimiter });
    const missing = checkHeader(mapping, header);
    if (missing.length > 0) throw new MappingError(missing.map((m) => ({ ...m, message: `${m.message} in ${file}` })));
  }

  const send = options.dryRun ? undefined : httpSender(options.url ?? DEFAULT_URL, options.key);
  const total = emptySummary();
  for (const file of options.files) {
    const rejects = options.dryRun ? undefined : new RejectsFile(`${file}.rejects.csv`);
    const preview: ImportedEvent[] = [];
    const previewRejects: RejectedRow[] = [];
    const bar = progress(file, statSync(file).size, progressStream);
    let summary: ImportSummary;
    try {
      summary = await importCsv({
        mapping,
        input: createReadStream(file),
        encoding: options.encoding,
        send,
        onHeader: (h) => rejects?.setHeader(h),
        onReject: async (r) => {
          if (previewRejects.length < PREVIEW_REJECTS) previewRejects.push(r);
          await rejects?.write(r);
        },
        onEvents: (events) => {
          if (options.dryRun && preview.length < PREVIEW_EVENTS) preview.push(...events.slice(0, PREVIEW_EVENTS - preview.length));
        },
        onProgress: ({ rows, bytes }) => {
          if (rows % 500 === 0) bar.update(rows, bytes);
        },
      });
    } finally {
      bar.stop();
      await rejects?.close();
    }
    if (options.dryRun) {
      out.write(`${file}: first ${preview.length} events (dry run, nothing sent)\n`);
      for (const e of preview) out.write(`${JSON.stringify(e.event)}\n`);
    }
    if (previewRejects.length > 0) {
      out.write(`${file}: ${summary.rejectedRows} rows rejected${rejects ? `, written to ${rejects.path}` : ''}; the first:\n`);
      for (const r of previewRejects) out.write(`  row ${r.row}: ${r.reason}\n`);
    }
    out.write(`${file}:\n${formatSummary(summary, options.dryRun ?? false)}`);
    addSummary(total, summary);
  }
  if (options.files.length > 1) out.write(`all files:\n${formatSummary(total, options.dryRun ?? false)}`);
  return total;
}
