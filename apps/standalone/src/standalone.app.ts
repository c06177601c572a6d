import { createProjectionRunners } from '../../projector/src/projectors';
import { apiKeyMiddleware } from '@funnel/platform';
import type { AppConfig } from '@funnel/config';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { openRuntime, type Runtime } from './runtime';
import { StandaloneModule } from './standalone.module';

export interface StandaloneApp {
  readonly url: string;
  readonly runtime: Runtime;
  close(): Promise<void>;
}

/** Builds and starts the whole embedded product; used by main.ts and by the end-to-end tests. */
export async function startStandalone(config: AppConfig, log: (line: string) => void = () => {}): Promise<StandaloneApp> {
  const runtime = await openRuntime(config, log);
  const runners = createProjectionRunners(runtime.eventLog, config.projections, runtime);
  let app: NestExpressApplication | undefined;
  try {
    app = await NestFactory.create<NestExpressApplication>(StandaloneModule.register(runtime), {
      // The ingest endpoint reads its own body (JSON or NDJSON, with its own size limit).
      bodyParser: false,
      logger: ['error', 'warn'],
    });
    app.use(['/v1', '/graphql'], apiKeyMiddleware(config.apiKeys));
    app.use('/graphql', express.json({ limit: '1mb' }));
    await app.listen(config.port, '0.0.0.0');
    for (const r of runners) await r.start();
  } catch (e) {
    await app?.close();
    await runtime.close();
    throw e;
  }
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const started = app;
  return {
    url: `http://127.0.0.1:${port}`,
    runtime,
    async close() {
      for (const r of runners) await r.stop();
      await started.close();
      await runtime.close();
    },
  };
}
