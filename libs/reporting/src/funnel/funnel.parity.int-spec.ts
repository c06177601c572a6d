import { FUNNEL_STAGES } from '@funnel/domain';
import { expectClose, parityBreakdown as breakdown, parityPeriod as period, paritySeeds as seeds, useParityFacts } from '@funnel/testing';
import fc from 'fast-check';
import { funnelReport } from './funnel.reference';
import { runFunnel } from './funnel.sql';

/**
 * Parity property (DESIGN §4): the ClickHouse runner equals the reference on random streams
 * with duplicates in separate inserts, in shuffled order, before any merge (libs/testing
 * parity-facts.ts).
 */
describe('funnel: ClickHouse equals the reference', () => {
  const facts = useParityFacts();
  const stage = fc.constantFrom(...FUNNEL_STAGES);
  const windowDays = fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined });

  it('funnel for any anchor, window and breakdown', async () => {
    await fc.assert(
      fc.asyncProperty(seeds, stage, windowDays, breakdown, async (seed, anchor, window, by) => {
        const events = await facts.load(seed);
        const f = { ...period, anchor, windowDays: window, breakdown: by };
        expectClose(await runFunnel(facts.ch, f), funnelReport(events, f));
      }),
      { numRuns: 25 },
    );
  });

  // Periods of any length, unaligned to days, with leads whose earlier events arrive in later
  // inserts: a cohort read by period (as a day-keyed pruning would) must lose no lead.
  it('funnel for any period, CAPTURED anchor', async () => {
    const start = Date.parse('2025-12-20T00:00:00.000Z');
    const instant = fc.integer({ min: 0, max: 120 * 86_400_000 }).map((ms) => new Date(start + ms).toISOString());
    await fc.assert(
      fc.asyncProperty(seeds, instant, instant, breakdown, async (seed, a, b, by) => {
        const events = await facts.load(seed);
        const f = { from: a < b ? a : b, to: a < b ? b : a, anchor: 'CAPTURED' as const, breakdown: by };
        expectClose(await runFunnel(facts.ch, f), funnelReport(events, f));
      }),
      { numRuns: 20 },
    );
  });
});
