import { Controller, Get, Header, HttpException, HttpStatus, Inject } from '@nestjs/common';
import { collectDefaultMetrics, register } from 'prom-client';
import { Access } from './access/access.guard';
import { HEALTH_CHECKS, type HealthChecks } from './tokens';

collectDefaultMetrics();

@Controller()
export class ObservabilityController {
  constructor(@Inject(HEALTH_CHECKS) private readonly checks: HealthChecks) {}

  /** 200 when every dependency answers, 503 naming the ones that do not. */
  @Get('health')
  @Access('public')
  async health() {
    const results = await Promise.all(
      Object.entries(this.checks).map(async ([name, check]) => {
        try {
          await check();
          return [name, { status: 'up' }] as const;
        } catch (e) {
          return [name, { status: 'down', error: e instanceof Error ? e.message : String(e) }] as const;
        }
      }),
    );
    const details = Object.fromEntries(results);
    const ok = results.every(([, r]) => r.status === 'up');
    if (!ok) throw new HttpException({ status: 'error', details }, HttpStatus.SERVICE_UNAVAILABLE);
    return { status: 'ok', details };
  }

  @Get('metrics')
  @Access('metrics')
  @Header('Content-Type', register.contentType)
  metrics(): Promise<string> {
    return register.metrics();
  }
}
