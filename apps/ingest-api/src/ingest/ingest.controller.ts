import { Controller, HttpException, Post, Req, Res } from '@nestjs/common';
import { Access, CurrentPrincipal, type Principal } from '@funnel/platform';
import type { Request, Response } from 'express';
import { readLimited } from '../common/read-limited';
import { MIN_ERROR_BUDGET_BYTES, trimToErrorBudget } from './error-budget';
import { IngestService } from './ingest.service';
import { BatchParseError, parseBatch } from './parse-batch';

/** 10,000 events of a few hundred bytes each, with room to spare. */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

async function readBody(req: Request): Promise<string> {
  const text = await readLimited(req as AsyncIterable<Buffer>, MAX_BODY_BYTES);
  if (text === undefined) throw new BatchParseError(413, 'BODY_TOO_LARGE', `the body exceeds ${MAX_BODY_BYTES} bytes; split it into smaller batches`);
  return text;
}

@Controller('v1/events')
export class IngestController {
  constructor(private readonly ingestService: IngestService) {}

  /**
   * 202 with a result for every event; 422 when every event was rejected; 400/413/415 when the
   * body itself cannot be read. Accepted events are durable in the log before the response.
   */
  @Post()
  @Access('ingest')
  async post(@Req() req: Request, @Res() res: Response, @CurrentPrincipal() caller: Principal): Promise<void> {
    let items;
    let body: string;
    try {
      body = await readBody(req);
      items = parseBatch(body, req.header('content-type'));
    } catch (e) {
      if (e instanceof BatchParseError) throw new HttpException({ error: e.code, message: e.message }, e.status);
      throw e;
    }
    // pino-http (libs/runtime) gave the request its id: the caller's X-Request-Id or a new one.
    const requestId = (req as Request & { id?: string }).id;
    const result = await this.ingestService.ingest(items, { writer: caller.name, ...(requestId === undefined ? {} : { requestId }) });
    const allRejected = result.rejected.length === items.length;
    const truncatedErrors = trimToErrorBudget(result.rejected, Math.max(MIN_ERROR_BUDGET_BYTES, Buffer.byteLength(body)));
    res.status(allRejected ? 422 : 202).json(truncatedErrors > 0 ? { ...result, truncatedErrors } : result);
  }
}
