import type { Runtime } from '@funnel/runtime';
import { Logger } from '@nestjs/common';
import { AlertDeliverer } from './alert-deliverer';
import { SlaChecker, type Now } from './sla-checker';

/** Deliveries are tried at least this often, so a retry waits about its backoff and not a whole check period. */
const DELIVERY_PERIOD_MS = 5_000;

export interface RunningSlaChecker {
  stop(): Promise<void>;
}

/**
 * Runs the breach checker every SLA_CHECK_SECONDS and the alert deliveries every few seconds, in
 * embedded mode (standalone) and in every projector process that writes ClickHouse facts. Each
 * run waits for the previous one, and a failed run is logged and tried again next period.
 */
export function startSlaChecker(runtime: Runtime, now: Now = () => new Date()): RunningSlaChecker {
  const { alerts } = runtime.config;
  const clickhouse = runtime.clickhouse;
  if (alerts.slaCheckSeconds === 0 || !clickhouse) return { stop: async () => {} };
  const logger = new Logger('sla-checker');
  const checker = new SlaChecker({
    eventLog: runtime.eventLog,
    readModel: runtime.readModel,
    clickhouse,
    alerts,
    now,
    // The clickhouse projection's consumer, whichever process runs it.
    factsSettled: async () => {
      const { processed, lag } = await runtime.eventLog.progress('clickhouse');
      return lag === 0 ? processed : null;
    },
  });
  const deliverer = new AlertDeliverer({ readModel: runtime.readModel, alerts, now });
  const loops = [
    every(alerts.slaCheckSeconds * 1000, async () => {
      const found = await checker.check();
      if (found > 0) logger.log(`${found} SLA breach(es) recorded`);
    }, logger),
    every(Math.min(DELIVERY_PERIOD_MS, alerts.slaCheckSeconds * 1000), () => deliverer.deliverDue(), logger),
  ];
  return { stop: async () => void (await Promise.all(loops.map((l) => l.stop()))) };
}

function every(periodMs: number, run: () => Promise<unknown>, logger: Logger): { stop(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    running = run()
      .then(() => undefined)
      .catch((e: unknown) => logger.warn(`run failed, retrying next period: ${String((e as Error).message ?? e)}`))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, periodMs);
      });
  };
  timer = setTimeout(tick, 0);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

/** An app's background work (its projections) with the SLA checker beside it; the checker stops first. */
export async function withSlaChecker(runtime: Runtime, background: Promise<{ stop(): Promise<void> }>): Promise<{ stop(): Promise<void> }> {
  const started = await background;
  const sla = startSlaChecker(runtime);
  return {
    async stop() {
      await sla.stop();
      await started.stop();
    },
  };
}
