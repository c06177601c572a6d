import type { AppConfig } from '@funnel/config';
import { apiKeyMiddleware, reportUrlKeyMiddleware } from '@funnel/platform';
import cors from 'cors';
import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { appNestLogger } from './logger';

export interface HttpApp {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  close(): Promise<void>;
}

/** Creates the Nest app of a composition root and listens on PORT (all interfaces). */
export async function listenHttp(root: DynamicModule, config: AppConfig): Promise<HttpApp> {
  const app = await NestFactory.create<NestExpressApplication>(root, {
    // The ingest endpoint reads its own body (JSON or NDJSON, with its own size limit).
    bodyParser: false,
    logger: appNestLogger(),
  });
  try {
    // Before the key check, so a browser's preflight (which carries no key) gets its answer.
    app.use(['/graphql', '/v1/reports'], corsMiddleware(config.corsOrigins));
    app.use('/v1/reports', reportUrlKeyMiddleware());
    app.use(['/v1', '/graphql'], apiKeyMiddleware(config.apiKeys));
    app.use('/graphql', express.json({ limit: '1mb' }));
    await app.listen(config.port, '0.0.0.0');
  } catch (e) {
    await app.close();
    throw e;
  }
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

/**
 * CORS for browser-based BI tools: only the CORS_ORIGINS allow-list gets CORS headers (none when
 * unset, so browsers refuse cross-origin reads); keys may travel in Authorization or X-API-Key.
 */
function corsMiddleware(origins: readonly string[]) {
  return cors({
    origin: (origin, done) => done(null, origin !== undefined && origins.includes(origin)),
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ['authorization', 'x-api-key', 'content-type', 'apollo-require-preflight'],
    exposedHeaders: ['content-disposition'],
    maxAge: 600,
  });
}
