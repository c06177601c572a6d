import { deadLetterCounts } from '@funnel/persistence';
import { Counter, Gauge } from 'prom-client';
import type { DataSource } from 'typeorm';

// The read model whose `dead_letters` table the metrics report; set when projections start.
let countedIn: DataSource | undefined;

// Both figures are read from the store at scrape time rather than counted in memory, so a
// restart does not reset them to 0 while the table still holds the letters.
async function refresh(): Promise<void> {
  if (!countedIn?.isInitialized) return;
  const counts = await deadLetterCounts(countedIn);
  recorded.reset();
  pending.reset();
  for (const [projection, count] of counts) {
    recorded.inc({ projection }, count.recorded);
    pending.set({ projection }, count.pending);
  }
}

// Registered first, so its collect refreshes both before either is read.
const recorded = new Counter({
  name: 'funnel_projection_dead_letters_total',
  help: 'Events a projection could not apply and sent to the dead-letter store, since the store was created',
  labelNames: ['projection'],
  collect: refresh,
});

const pending = new Gauge({
  name: 'funnel_projection_dead_letters_pending',
  help: 'Dead letters of a projection not replayed yet',
  labelNames: ['projection'],
});

/** Makes /metrics report the dead letters of `readModel` (one per process, the latest wins). */
export function reportDeadLettersOf(readModel: DataSource): void {
  countedIn = readModel;
}
