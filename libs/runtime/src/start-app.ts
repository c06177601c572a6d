import type { AppConfig } from '@funnel/config';
import type { DynamicModule } from '@nestjs/common';
import { listenHttp, type HttpApp } from './http-app';
import type { RunningApp } from './process-main';
import type { Runtime } from './runtime';

export interface AppParts<R extends Runtime> {
  /** The app's composition root over the opened runtime. */
  root(runtime: R): DynamicModule;
  /** Work started once HTTP listens (projections), stopped before HTTP closes. */
  background?(runtime: R): Promise<{ stop(): Promise<void> }>;
  /** What the app serves, for the start-up banner. */
  readonly serves: string;
}

/**
 * Starts an app over an opened runtime and returns how to stop it in reverse order; if any part
 * fails to start, what did start is closed again, the runtime included.
 */
export async function startApp<R extends Runtime>(runtime: R, config: AppConfig, parts: AppParts<R>): Promise<RunningApp & { runtime: R }> {
  let http: HttpApp | undefined;
  let background: { stop(): Promise<void> } | undefined;
  try {
    http = await listenHttp(parts.root(runtime), config);
    background = await parts.background?.(runtime);
  } catch (e) {
    await http?.close();
    await runtime.close();
    throw e;
  }
  const server = http;
  return {
    url: server.url,
    runtime,
    serves: parts.serves,
    async close() {
      await background?.stop();
      await server.close();
      await runtime.close();
    },
  };
}
