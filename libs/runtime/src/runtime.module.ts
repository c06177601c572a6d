import { CLICKHOUSE } from '@funnel/clickhouse';
import { EVENT_LOG } from '@funnel/event-log';
import { AccessGuard, APP_CONFIG, HEALTH_CHECKS, ObservabilityController, READ_MODEL, type HealthChecks } from '@funnel/platform';
import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { appLogger } from './logger';
import { redactedUrl } from './redact-url';
import { requestIdOf } from './request-id';
import type { Runtime } from './runtime';

/** Probes that poll all day: logged only at debug. */
const QUIET_PATHS = new Set(['/health', '/metrics']);

/**
 * One line per HTTP request (nestjs-pino over pino-http) with its request id, method, URL,
 * status and time; headers are left out, since they carry API keys, and a report URL's
 * `api_key` is masked. 5xx log as errors; a 4xx is the client's mistake, already answered with
 * a coded error, so it logs at info like a success.
 */
const requestLogging = (): DynamicModule =>
  LoggerModule.forRoot({
    pinoHttp: {
      logger: appLogger(),
      genReqId: requestIdOf,
      serializers: {
        req: (req: IncomingMessage & { id?: string }) => ({ id: req.id, method: req.method, url: redactedUrl(req.url) }),
        res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (req, res, error) => {
        if (error || res.statusCode >= 500) return 'error';
        return QUIET_PATHS.has(req.url ?? '') ? 'debug' : 'info';
      },
    },
  });

/**
 * The infrastructure of one process as Nest providers (config, event log, read model,
 * ClickHouse when open) plus /health over exactly those stores and /metrics. Every app's
 * composition root imports it, so the feature modules never build infrastructure themselves.
 */
@Global()
@Module({})
export class RuntimeModule {
  static register(runtime: Runtime): DynamicModule {
    const { clickhouse } = runtime;
    const checks: HealthChecks = {
      postgres: () => runtime.readModel.query('SELECT 1'),
      ...(clickhouse ? { clickhouse: () => clickhouse.query('SELECT 1') } : {}),
      eventLog: () => runtime.eventLog.acceptedCount(),
    };
    const providers = [
      { provide: APP_CONFIG, useValue: runtime.config },
      { provide: EVENT_LOG, useValue: runtime.eventLog },
      { provide: READ_MODEL, useValue: runtime.readModel },
      ...(clickhouse ? [{ provide: CLICKHOUSE, useValue: clickhouse }] : []),
      { provide: HEALTH_CHECKS, useValue: checks },
    ];
    return {
      module: RuntimeModule,
      imports: [requestLogging()],
      controllers: [ObservabilityController],
      // Roles (DESIGN §8) for every route and GraphQL operation of every app, in one place.
      providers: [...providers, { provide: APP_GUARD, useClass: AccessGuard }],
      exports: providers.map((p) => p.provide),
    };
  }
}
