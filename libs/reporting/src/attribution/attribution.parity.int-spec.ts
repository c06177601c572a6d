import { ATTRIBUTION_MODELS, MILESTONES } from '@funnel/domain';
import { expectClose, parityPeriod as period, paritySeeds as seeds, useParityFacts } from '@funnel/testing';
import fc from 'fast-check';
import { attributionReport } from './attribution.reference';
import { runAttribution } from './attribution.sql';

/**
 * Parity property (DESIGN §4): the ClickHouse runner equals the reference on random streams
 * with duplicates in separate inserts, in shuffled order, before any merge (libs/testing
 * parity-facts.ts).
 */
describe('attribution: ClickHouse equals the reference', () => {
  const facts = useParityFacts();

  it('attribution: every model and milestone, by campaign and channel', async () => {
    await fc.assert(
      fc.asyncProperty(seeds, fc.constantFrom(...ATTRIBUTION_MODELS), fc.constantFrom(...MILESTONES), fc.constantFrom('CAMPAIGN', 'CHANNEL' as const),
        async (seed, model, milestone, by) => {
          const events = await facts.load(seed);
          const params = { ...period, model, milestone, by, lookbackDays: 30, halfLifeDays: 7 };
          expectClose(await runAttribution(facts.ch, params), attributionReport(events, params));
        }),
      { numRuns: 25 },
    );
  });
});
