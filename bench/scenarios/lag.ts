import type { FunnelEvent } from '@funnel/contracts';
import { setTimeout as sleep } from 'node:timers/promises';
import { chunks, now, percentile, perSecond, type ScenarioResult, TARGETS } from '../common';
import { post, status, type EmbeddedServer } from './embedded-server';

const TICK_MS = 100;

/**
 * Projection lag at half the sustained rate: every 100 ms a batch of `rate / 10` events is
 * posted for `seconds`; each batch's lag runs from its POST ack until every projection has
 * processed it (status polled every 10 ms). Target: p99 <= 1 s.
 */
export async function lagScenario(server: EmbeddedServer, events: readonly FunnelEvent[], rate: number, seconds: number): Promise<ScenarioResult> {
  const app = server.app!;
  const perTick = Math.max(1, Math.round((rate * TICK_MS) / 1000));
  const batches = chunks(events, perTick).slice(0, Math.ceil((seconds * 1000) / TICK_MS));
  let accepted = (await status(app.url)).accepted;
  const pending: { ackAt: number; upTo: number }[] = [];
  const lags: number[] = [];
  let posting = true;

  const watch = (async () => {
    while (posting || pending.length > 0) {
      const s = await status(app.url);
      const processed = Math.min(...s.projections.map((p) => p.processed));
      const t = now();
      while (pending.length > 0 && pending[0].upTo <= processed) lags.push(t - pending.shift()!.ackAt);
      await sleep(10);
    }
  })();
  const start = now();
  for (const [i, batch] of batches.entries()) {
    accepted += await post(app.url, batch);
    pending.push({ ackAt: now(), upTo: accepted });
    server.posted.push(...batch);
    const next = start + (i + 1) * TICK_MS;
    if (next > now()) await sleep(next - now());
  }
  const postedMs = now() - start;
  posting = false;
  await watch;

  const p99 = percentile(lags, 0.99);
  return {
    value: p99,
    unit: 'ms (p99)',
    reference: null,
    ratio: null,
    target: TARGETS.lag,
    pass: p99 <= 1000,
    p50: percentile(lags, 0.5),
    max: Math.max(...lags),
    ratePerSecond: (perTick * 1000) / TICK_MS,
    // Below ratePerSecond when a POST took longer than a tick.
    postedPerSecond: perSecond(batches.reduce((n, b) => n + b.length, 0), postedMs),
    batches: lags.length,
  };
}
