import type { AppConfig } from '@funnel/config';
import { reportUrlKeyMiddleware } from '@funnel/platform';
import cors from 'cors';
import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { accessMiddlewares, securityHeaders } from './http-security';
import { appNestLogger } from './logger';

export interface HttpApp {
  /** Where it really listens: http://<HOST>:<port>. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Creates the Nest app of a composition root and listens on HOST:PORT (127.0.0.1 unless keys are
 * set and HOST says otherwise; the config refuses an open server on another interface).
 */
export async function listenHttp(root: DynamicModule, config: AppConfig): Promise<HttpApp> {
  const app = await NestFactory.create<NestExpressApplication>(root, {
    // The ingest endpoint reads its own body (JSON or NDJSON, with its own size limit).
    bodyParser: false,
    logger: appNestLogger(),
  });
  try {
    app.disable('x-powered-by');
    app.use(securityHeaders());
    // Before the key check, so a browser's preflight (which carries no key) gets its answer.
    app.use(['/graphql', '/v1/reports'], corsMiddleware(config.corsOrigins));
    app.use('/v1/reports', reportUrlKeyMiddleware());
    // Every request gets its caller here; AccessGuard (RuntimeModule) checks each route's rule.
    app.use(accessMiddlewares(config));
    app.use('/graphql', express.json({ limit: '1mb' }));
    await app.listen(config.port, config.host);
  } catch (e) {
    await app.close();
    throw e;
  }
  const { address, port, family } = app.getHttpServer().address() as AddressInfo;
  const host = family === 'IPv6' ? `[${address}]` : address;
  return { url: `http://${host}:${port}`, close: () => app.close() };
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
