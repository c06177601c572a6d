import { expectClose, parityBreakdown as breakdown, parityPeriod as period, paritySeeds as seeds, useParityFacts } from '@funnel/testing';
import fc from 'fast-check';
import { runLeadQuality } from '../sla/sla.sql';
import { leadQualityVsHandling } from './lead-quality.reference';

/**
 * Parity property (DESIGN §4): the ClickHouse runner equals the reference on random streams
 * with duplicates in separate inserts, in shuffled order, before any merge (libs/testing
 * parity-facts.ts).
 */
describe('lead quality: ClickHouse equals the reference', () => {
  const facts = useParityFacts();

  it('lead quality vs handling for any breakdown, speed-to-lead limit and as-of date', async () => {
    await fc.assert(
      fc.asyncProperty(seeds, breakdown, fc.constantFrom(60, 1440, 2880), fc.constantFrom('2026-01-20T00:00:00.000Z', '2026-04-01T00:00:00.000Z'),
        async (seed, by, limit, asOf) => {
          const events = await facts.load(seed);
          const sla = { ...period, asOf, speedToLeadMinutes: limit, breakdown: by };
          expectClose(await runLeadQuality(facts.ch, sla), leadQualityVsHandling(events, sla));
        }),
      { numRuns: 20 },
    );
  });
});
