import { paritySeeds as seeds, useParityFacts } from '@funnel/testing';
import fc from 'fast-check';
import { reviewSampleReference } from './review-sample.reference';
import { runReviewSample } from './review-sample.sql';

const weeks = fc.constantFrom('2026-01-08T00:00:00.000Z', '2026-01-21T13:30:00.000Z', '2026-02-04T00:00:00.000Z', '2026-03-01T00:00:00.000Z');

/** Parity property (DESIGN §4): the ClickHouse runner equals the reference, duplicates in separate inserts, before merges. */
describe('Weekly review sample: ClickHouse equals the reference', () => {
  const facts = useParityFacts();

  it('the same sample for any week, size, seed and definition limits', async () => {
    await fc.assert(
      fc.asyncProperty(
        seeds, weeks, fc.integer({ min: 0, max: 30 }), fc.integer({ min: -5, max: 1_000_000 }), fc.constantFrom(60, 1440), fc.constantFrom(3, 21),
        async (seed, weekOf, size, sampleSeed, limit, stallDefault) => {
          const events = await facts.load(seed, 40, { routing: true });
          const p = { weekOf, size, seed: sampleSeed, speedToLeadMinutes: limit, stallDays: { default: stallDefault, byStage: { proposal: 5 } } };
          expect(await runReviewSample(facts.ch, p)).toEqual(reviewSampleReference(events, p));
        },
      ),
      { numRuns: 8 },
    );
  });
});
