import { deadLetterCounts, type DeadLetterCount } from '@funnel/persistence';
import { Counter, Gauge } from 'prom-client';
import type { DataSource } from 'typeorm';

// The read model whose `dead_letters` table the metrics report; set when projections start.
let countedIn: DataSource | undefined;

// Both figures are read from the store at scrape time rather than counted in memory, so a
// restart does not reset them to 0 while the table still holds the letters. The registry reads
// metrics concurrently, so each one queries for itself.
async function countsByProjection(): Promise<ReadonlyMap<string, DeadLetterCount>> {
  return countedIn?.isInitialized ? deadLetterCounts(countedIn) : new Map();
}

new Counter({
  name: 'funnel_projection_dead_letters_total',
  help: 'Events a projection could not apply and sent to the dead-letter store, since the store was created',
  labelNames: ['projection'],
  async collect() {
    const counts = await countsByProjection();
    this.reset();
    for (const [projection, { recorded }] of counts) this.inc({ projection }, recorded);
  },
});

new Gauge({
  name: 'funnel_projection_dead_letters_pending',
  help: 'Dead letters of a projection not replayed yet',
  labelNames: ['projection'],
  async collect() {
    const counts = await countsByProjection();
    this.reset();
    for (const [projection, { pending }] of counts) this.set({ projection }, pending);
  },
});

/** Makes /metrics report the dead letters of `readModel` (one per process, the latest wins). */
export function reportDeadLettersOf(readModel: DataSource): void {
  countedIn = readModel;
}
