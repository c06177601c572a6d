import { FUNNEL_STAGES } from '@funnel/domain';
import { expectClose, parityBreakdown as breakdown, parityPeriod as period, paritySeeds as seeds, useParityFacts } from '@funnel/testing';
import fc from 'fast-check';
import { velocityReport } from './velocity.reference';
import { runVelocity } from './velocity.sql';

/**
 * Parity property (DESIGN §4): the ClickHouse runner equals the reference on random streams
 * with duplicates in separate inserts, in shuffled order, before any merge (libs/testing
 * parity-facts.ts).
 */
describe('velocity: ClickHouse equals the reference', () => {
  const facts = useParityFacts();
  const stage = fc.constantFrom(...FUNNEL_STAGES);

  it('velocity between any two stages, for any breakdown', async () => {
    await fc.assert(
      fc.asyncProperty(seeds, stage, stage, breakdown, async (seed, anchor, other, by) => {
        const events = await facts.load(seed);
        const v = { ...period, fromStage: anchor, toStage: other, breakdown: by };
        expectClose(await runVelocity(facts.ch, v), velocityReport(events, v));
      }),
      { numRuns: 25 },
    );
  });
});
