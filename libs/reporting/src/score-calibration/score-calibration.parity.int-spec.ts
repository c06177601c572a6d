import { expectClose, parityPeriod as period, paritySeeds as seeds, useParityFacts } from '@funnel/testing';
import fc from 'fast-check';
import { scoreCalibration } from './score-calibration.reference';
import { runScoreCalibration } from './score-calibration.sql';

/**
 * Parity property (DESIGN §4): the ClickHouse runner equals the reference on random streams
 * with duplicates in separate inserts, in shuffled order, before any merge (libs/testing
 * parity-facts.ts).
 */
describe('score calibration: ClickHouse equals the reference', () => {
  const facts = useParityFacts();

  it('score calibration over bands 10, 50 and 75', async () => {
    await fc.assert(
      fc.asyncProperty(seeds, async (seed) => {
        const events = await facts.load(seed);
        expectClose(await runScoreCalibration(facts.ch, { ...period, bands: [10, 50, 75] }), scoreCalibration(events, { ...period, bands: [10, 50, 75] }));
      }),
      { numRuns: 20 },
    );
  });
});
