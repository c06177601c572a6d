import { parse } from 'csv-parse';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { TextDecoder } from 'node:util';

/** The input cannot be read as CSV at all (encoding, broken quoting): the import stops here. */
export class CsvInputError extends Error {}

export interface CsvReadOptions {
  /** A WHATWG encoding label (default utf-8; "latin1" reads Windows-1252, as Excel writes it). */
  readonly encoding?: string;
  readonly delimiter?: string;
  /** Called with the number of bytes read so far, for progress and ETA. */
  readonly onBytes?: (bytes: number) => void;
}

function decoder(encoding: string, onBytes?: (bytes: number) => void): Transform {
  let textDecoder: TextDecoder;
  try {
    textDecoder = new TextDecoder(encoding, { fatal: true });
  } catch {
    throw new CsvInputError(`"${encoding}" is not a known encoding; use utf-8 (the default) or latin1`);
  }
  const utf8 = textDecoder.encoding === 'utf-8';
  let bytes = 0;
  const fail = (at: number) =>
    new CsvInputError(
      `the file is not valid UTF-8 (in bytes ${at + 1}–${bytes}); if it was saved by Excel or an older CRM as Latin-1/Windows-1252, ` +
        'import it with --encoding latin1 (encoding "latin1" over HTTP)',
    );
  return new Transform({
    readableObjectMode: true,
    transform(chunk: Buffer | string, _enc, done: TransformCallback) {
      if (typeof chunk === 'string') return done(null, chunk);
      const start = bytes;
      bytes += chunk.length;
      onBytes?.(bytes);
      try {
        done(null, textDecoder.decode(chunk, { stream: true }));
      } catch {
        done(utf8 ? fail(start) : new CsvInputError(`the file is not valid ${encoding}`));
      }
    },
    flush(done: TransformCallback) {
      try {
        done(null, textDecoder.decode());
      } catch {
        done(fail(bytes - 4));
      }
    },
  });
}

/**
 * Streams the records of a CSV (the header first) with constant memory: the consumer pulls, so
 * a slow consumer (an HTTP send) pauses the file read. A UTF-8 byte order mark is dropped.
 */
export async function* csvRecords(input: Readable | AsyncIterable<Buffer | string>, options: CsvReadOptions = {}): AsyncGenerator<string[]> {
  const parser = parse({ bom: true, delimiter: options.delimiter ?? ',', relax_column_count: true, skip_empty_lines: true });
  const source = input instanceof Readable ? input : Readable.from(input);
  const piping = pipeline(source, decoder(options.encoding ?? 'utf-8', options.onBytes), parser);
  // The pipeline's own rejection is seen through the parser's iterator; this keeps it from being unhandled.
  piping.catch(() => {});
  try {
    for await (const record of parser as AsyncIterable<string[]>) yield record;
    await piping;
  } catch (e) {
    // csv-parse's own errors (codes CSV_*) say what is broken and where; others (ENOENT...) pass on.
    if (e instanceof Error && String((e as NodeJS.ErrnoException).code ?? '').startsWith('CSV_')) {
      throw new CsvInputError(`the file is not valid CSV: ${e.message}`);
    }
    throw e;
  } finally {
    source.destroy();
  }
}
