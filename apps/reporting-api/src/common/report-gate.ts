import { AsyncLocalStorage } from 'node:async_hooks';
import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { CLICKHOUSE, ClickHousePool, ClickHouseQueryError, type ClickHouse } from '@funnel/clickhouse';
import type { AppConfig } from '@funnel/config';
import { APP_CONFIG, principalOf } from '@funnel/platform';
import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { laneOf, reportCost } from './query-complexity.plugin';
import { ReportQueueFullError, ReportScheduler, type Lane } from './report-scheduler';

/** How long after REPORT_TIMEOUT_MS the wall-clock backstop gives up on a report ClickHouse has not stopped. */
const BACKSTOP_GRACE_MS = 5_000;
/** ClickHouse's TIMEOUT_EXCEEDED: max_execution_time cancelled the query. */
const TIMEOUT_EXCEEDED = 159;
/**
 * What a full queue tells the caller to wait: a queued report starts as soon as one of the key's
 * running reports ends, which is usually within seconds; the rate limit's window says its own.
 */
export const QUEUE_RETRY_AFTER_SECONDS = 1;

/** The ClickHouse connection of the lane the current report runs in (see ReportContext.ch). */
export const laneClickHouse = new AsyncLocalStorage<ClickHouse>();

function timeoutError(ms: number): GraphQLError {
  return new GraphQLError(`the report ran longer than REPORT_TIMEOUT_MS=${ms} ms and was cancelled; narrow the period or filters`, {
    extensions: { code: 'QUERY_TIMEOUT', timeoutMs: ms, http: { status: 504 } },
  });
}

/**
 * Every report field of the GraphQL API runs through here: the per-key scheduler (lanes by cost),
 * then the timeout. Each lane has ClickHouse connections of its own, as many as it runs reports
 * at once (a pool: embedded chdb runs one query at a time per session), carrying
 * max_execution_time, so a report over the limit is really stopped by ClickHouse, not merely
 * abandoned, and the queries in flight spread over the connections and the cores.
 */
@Injectable()
export class ReportGate implements NestInterceptor, OnModuleInit, OnModuleDestroy {
  private readonly scheduler: ReportScheduler;
  private lanes?: Record<Lane, ClickHouse>;

  constructor(
    @Inject(CLICKHOUSE) private readonly ch: ClickHouse,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    const limits = config.reportLimits;
    this.scheduler = new ReportScheduler({
      perKey: limits.concurrencyPerKey,
      queuePerKey: limits.queuePerKey,
      lanes: { cheap: limits.laneConcurrency, expensive: limits.laneConcurrency },
    });
  }

  async onModuleInit(): Promise<void> {
    const { timeoutMs, laneConcurrency } = this.config.reportLimits;
    const settings = { max_execution_time: timeoutMs / 1000 };
    this.lanes = {
      cheap: await ClickHousePool.open(this.ch, laneConcurrency, settings),
      expensive: await ClickHousePool.open(this.ch, laneConcurrency, settings),
    };
  }

  async onModuleDestroy(): Promise<void> {
    for (const lane of Object.values(this.lanes ?? {})) await lane.close();
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType<string>() !== 'graphql') return next.handle();
    const gql = GqlExecutionContext.create(context);
    const info = gql.getInfo<GraphQLResolveInfo>();
    const cost = info.parentType.name === 'Query' ? reportCost(info.fieldName) : undefined;
    if (cost === undefined || !this.lanes) return next.handle();
    const lane = laneOf(cost);
    // Open mode has no keys: every caller is the one anonymous caller.
    const key = principalOf(gql.getContext<{ req?: never }>().req)?.name ?? 'anonymous';
    const ch = this.lanes[lane];
    const report = this.scheduler.run(key, lane, () => this.withTimeout(laneClickHouse.run(ch, () => lastValueFrom(next.handle()))));
    return from(report.catch((e: unknown) => {
      if (e instanceof ReportQueueFullError) {
        throw new GraphQLError(e.message, {
          extensions: {
            code: 'TOO_MANY_REQUESTS',
            concurrencyPerKey: e.limits.perKey,
            queuePerKey: e.limits.queuePerKey,
            http: { status: 429, headers: new Map([['retry-after', String(QUEUE_RETRY_AFTER_SECONDS)]]) },
          },
        });
      }
      if (e instanceof ClickHouseQueryError && e.code === TIMEOUT_EXCEEDED) throw timeoutError(this.config.reportLimits.timeoutMs);
      throw e;
    }));
  }

  /**
   * The wall-clock backstop over the whole report (it may be several queries). ClickHouse bounds
   * each query by its own execution time, which starts later than this timer (after the lookups
   * and any wait for chdb's one-at-a-time queue), so the backstop allows a grace: otherwise it
   * would answer first while the query it abandoned runs on to its own limit.
   */
  private withTimeout<T>(work: Promise<T>): Promise<T> {
    const ms = this.config.reportLimits.timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(timeoutError(ms)), ms + BACKSTOP_GRACE_MS);
    });
    return Promise.race([work, expired]).finally(() => clearTimeout(timer));
  }
}
