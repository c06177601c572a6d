import { ATTRIBUTION_MODELS } from '@funnel/domain';
import { expectClose, paritySeeds as seeds, useParityFacts } from '@funnel/testing';
import fc from 'fast-check';
import { campaignPerformance } from './campaign-performance.reference';
import { runCampaignPerformance } from './campaign-performance.sql';

/**
 * Parity property (DESIGN §4): the ClickHouse runner equals the reference on random streams
 * with duplicates in separate inserts, in shuffled order, before any merge (libs/testing
 * parity-facts.ts).
 */
describe('campaign performance: ClickHouse equals the reference', () => {
  const facts = useParityFacts();

  it('campaign performance for every attribution model', async () => {
    await fc.assert(
      fc.asyncProperty(seeds, fc.constantFrom(...ATTRIBUTION_MODELS), async (seed, model) => {
        const events = await facts.load(seed);
        const p = { from: '2026-01-10T00:00:00.000Z', to: '2026-02-10T00:00:00.000Z', model, lookbackDays: 30, halfLifeDays: 7 };
        expectClose(await runCampaignPerformance(facts.ch, p), campaignPerformance(events, p));
      }),
      { numRuns: 10 },
    );
  });
});
