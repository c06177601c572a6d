import { FUNNEL_STAGES, GRAINS } from '@funnel/domain';
import { expectClose, parityPeriod as period, paritySeeds as seeds, useParityFacts } from '@funnel/testing';
import fc from 'fast-check';
import { cohortReport } from './cohorts.reference';
import { runCohorts } from './cohorts.sql';

/**
 * Parity property (DESIGN §4): the ClickHouse runner equals the reference on random streams
 * with duplicates in separate inserts, in shuffled order, before any merge (libs/testing
 * parity-facts.ts).
 */
describe('cohorts: ClickHouse equals the reference', () => {
  const facts = useParityFacts();
  const stage = fc.constantFrom(...FUNNEL_STAGES);
  const windowDays = fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined });

  it('cohorts for any anchor, target, window and grain', async () => {
    await fc.assert(
      fc.asyncProperty(seeds, stage, stage, windowDays, fc.constantFrom(...GRAINS), async (seed, anchor, other, window, grain) => {
        const events = await facts.load(seed);
        const c = { ...period, grain, target: other, anchor, windowDays: window, asOf: '2026-02-20T00:00:00.000Z' };
        expectClose(await runCohorts(facts.ch, c), cohortReport(events, c));
      }),
      { numRuns: 25 },
    );
  });
});
