import { BadRequestException, Controller, HttpCode, HttpException, Post, Req, UnsupportedMediaTypeException } from '@nestjs/common';
import { CsvInputError, MappingError } from '@funnel/import';
import busboy from 'busboy';
import type { Request } from 'express';
import { Readable } from 'node:stream';
import { Access, CurrentPrincipal, type Principal } from '@funnel/platform';
import { readLimited } from '../common/read-limited';
import { ImportService, type ImportAnswer } from './import.service';

/** A JSON body holds the whole CSV in memory; a multipart upload is streamed and has no limit. */
export const MAX_JSON_BYTES = 32 * 1024 * 1024;
export const MAX_MAPPING_BYTES = 1024 * 1024;

async function readText(stream: AsyncIterable<Buffer>, limit: number, what: string): Promise<string> {
  const text = await readLimited(stream, limit);
  if (text === undefined) {
    throw new HttpException({ error: 'BODY_TOO_LARGE', message: `${what} exceeds ${limit} bytes; upload the CSV as multipart/form-data instead` }, 413);
  }
  return text;
}

function parseMapping(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new BadRequestException({ error: 'INVALID_MAPPING', message: `the mapping is not valid JSON: ${(e as Error).message}`, errors: [] });
  }
}

@Controller('v1/import')
export class ImportController {
  constructor(private readonly importService: ImportService) {}

  /**
   * The CSV import over HTTP, the same work as `npm run import`: `multipart/form-data` with a
   * `mapping` part (text or file) before a `csv` file part (and optionally `encoding`), or JSON
   * `{"mapping": {...}, "csv": "<the CSV text>"}`. Answers with the import summary.
   */
  @Post()
  @HttpCode(200)
  @Access('ingest')
  async post(@Req() req: Request, @CurrentPrincipal() caller: Principal): Promise<ImportAnswer> {
    const type = (req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
    try {
      if (type === 'multipart/form-data') return await this.multipart(req, caller.name);
      if (type === 'application/json') return await this.json(req, caller.name);
    } catch (e) {
      if (e instanceof MappingError) throw new BadRequestException({ error: 'INVALID_MAPPING', message: e.message, errors: e.errors });
      if (e instanceof CsvInputError) throw new BadRequestException({ error: 'INVALID_CSV', message: e.message });
      throw e;
    }
    throw new UnsupportedMediaTypeException({ error: 'UNSUPPORTED_MEDIA_TYPE', message: `Content-Type must be multipart/form-data or application/json, got "${type}"` });
  }

  private async json(req: Request, writer: string): Promise<ImportAnswer> {
    const text = await readText(req as AsyncIterable<Buffer>, MAX_JSON_BYTES, 'the body');
    const body = parseMapping(text) as { mapping?: unknown; csv?: unknown } | null;
    if (typeof body?.csv !== 'string' || body.mapping === undefined) {
      throw new BadRequestException({ error: 'INVALID_BODY', message: 'the body must be {"mapping": {...}, "csv": "<the CSV text>"}' });
    }
    const mapping = typeof body.mapping === 'string' ? parseMapping(body.mapping) : body.mapping;
    return this.importService.import(writer, mapping, Readable.from([body.csv]));
  }

  private multipart(req: Request, writer: string): Promise<ImportAnswer> {
    return new Promise<ImportAnswer>((resolve, reject) => {
      let form: busboy.Busboy;
      try {
        form = busboy({ headers: req.headers, limits: { files: 2, fields: 5, fieldSize: MAX_MAPPING_BYTES } });
      } catch (e) {
        return reject(new BadRequestException({ error: 'INVALID_BODY', message: (e as Error).message }));
      }
      let mapping: Promise<string> | undefined;
      let encoding: string | undefined;
      let job: Promise<ImportAnswer> | undefined;
      form.on('field', (name, value) => {
        if (name === 'mapping') mapping = Promise.resolve(value);
        if (name === 'encoding') encoding = value;
      });
      form.on('file', (name, stream) => {
        if (name === 'mapping') {
          mapping = readText(stream, MAX_MAPPING_BYTES, 'the mapping');
          return;
        }
        if (name !== 'csv' || job !== undefined) return void stream.resume();
        if (mapping === undefined) {
          stream.resume();
          job = Promise.reject(new BadRequestException({ error: 'INVALID_BODY', message: 'send the "mapping" part before the "csv" part' }));
          return;
        }
        // The CSV is read as it arrives; on an early failure the rest is drained so the request ends.
        job = mapping.then((text) => this.importService.import(writer, parseMapping(text), stream, encoding)).catch((e: unknown) => {
          stream.resume();
          throw e;
        });
      });
      form.on('error', (e: Error) => reject(new BadRequestException({ error: 'INVALID_BODY', message: `the multipart body cannot be read: ${e.message}` })));
      form.on('close', () => {
        if (job === undefined) reject(new BadRequestException({ error: 'INVALID_BODY', message: 'the body has no "csv" file part' }));
        else job.then(resolve, reject);
      });
      req.pipe(form);
    });
  }
}
