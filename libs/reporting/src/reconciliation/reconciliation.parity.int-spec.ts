import { expectClose, parityBreakdown as breakdown, parityPeriod as period, paritySeeds as seeds, useParityFacts } from '@funnel/testing';
import fc from 'fast-check';
import { reconciliationReport } from './reconciliation.reference';
import { runReconciliation } from './reconciliation.sql';

/**
 * Parity property (DESIGN §4): the ClickHouse runner equals the reference on random streams
 * with duplicates in separate inserts, in shuffled order, before any merge (libs/testing
 * parity-facts.ts).
 */
describe('reconciliation: ClickHouse equals the reference', () => {
  const facts = useParityFacts();

  it('reconciliation (with lead ids) for any breakdown', async () => {
    await fc.assert(
      fc.asyncProperty(seeds, breakdown, async (seed, by) => {
        const events = await facts.load(seed);
        const rec = { ...period, breakdown: by };
        expectClose(await runReconciliation(facts.ch, { ...rec, withLeadIds: true }), reconciliationReport(events, rec));
      }),
      { numRuns: 20 },
    );
  });
});
