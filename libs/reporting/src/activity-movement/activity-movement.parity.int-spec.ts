import { expectClose, parityBreakdown as breakdown, parityPeriod as period, paritySeeds as seeds, useParityFacts } from '@funnel/testing';
import fc from 'fast-check';
import { activityMovementReport } from './activity-movement.reference';
import { runActivityMovement } from './activity-movement.sql';

/** Parity property (DESIGN §4): the ClickHouse runner equals the reference, duplicates in separate inserts, before merges. */
describe('Activity vs movement: ClickHouse equals the reference', () => {
  const facts = useParityFacts();

  it('rows for any breakdown (default OWNER) and period', async () => {
    const periods = fc.constantFrom(period, { from: '2026-01-20T00:00:00.000Z', to: '2026-01-27T00:00:00.000Z' });
    await fc.assert(
      fc.asyncProperty(seeds, breakdown, periods, async (seed, by, p) => {
        const events = await facts.load(seed, 40, { routing: true });
        const q = { ...p, breakdown: by };
        expectClose(await runActivityMovement(facts.ch, q), activityMovementReport(events, q));
      }),
      { numRuns: 15 },
    );
  });
});
