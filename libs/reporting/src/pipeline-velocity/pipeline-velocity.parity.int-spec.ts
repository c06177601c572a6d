import { expectClose, paritySeeds as seeds, useParityFacts } from '@funnel/testing';
import fc from 'fast-check';
import { pipelineVelocity } from './pipeline-velocity.reference';
import { runPipelineVelocity } from './pipeline-velocity.sql';

/**
 * Parity property (DESIGN §4): the ClickHouse runner equals the reference on random streams
 * with duplicates in separate inserts, in shuffled order, before any merge (libs/testing
 * parity-facts.ts).
 */
describe('pipeline velocity: ClickHouse equals the reference', () => {
  const facts = useParityFacts();

  it('pipeline velocity as of several dates', async () => {
    await fc.assert(
      fc.asyncProperty(seeds, fc.constantFrom('2026-02-01T00:00:00.000Z', '2026-03-01T12:00:00.000Z', '2026-06-01T00:00:00.000Z'),
        async (seed, asOf) => {
          const events = await facts.load(seed);
          expectClose(await runPipelineVelocity(facts.ch, { asOf, trailingDays: 60 }), pipelineVelocity(events, { asOf, trailingDays: 60 }));
        }),
      { numRuns: 15 },
    );
  });
});
