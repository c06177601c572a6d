import { expectClose, paritySeeds as seeds, useParityFacts } from '@funnel/testing';
import fc from 'fast-check';
import { stalledOpportunities } from './stalled.reference';
import { runStalled } from './stalled.sql';

/**
 * Parity property (DESIGN §4): the ClickHouse runner equals the reference on random streams
 * with duplicates in separate inserts, in shuffled order, before any merge (libs/testing
 * parity-facts.ts).
 */
describe('stalled opportunities: ClickHouse equals the reference', () => {
  const facts = useParityFacts();

  it('stalled opportunities as of several dates', async () => {
    await fc.assert(
      fc.asyncProperty(seeds, fc.constantFrom('2026-02-01T00:00:00.000Z', '2026-03-01T12:00:00.000Z', '2026-06-01T00:00:00.000Z'),
        async (seed, asOf) => {
          const events = await facts.load(seed);
          const stallDays = { default: 21, byStage: { proposal: 3 } };
          const expected = stalledOpportunities(events, { asOf, stallDays });
          const page = await runStalled(facts.ch, { asOf, stallDays, limit: 1000 });
          expect(page.totalCount).toBe(expected.length);
          expectClose(page.items, expected);
        }),
      { numRuns: 15 },
    );
  });
});
