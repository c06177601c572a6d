import { expectClose, paritySeeds as seeds, useParityFacts } from '@funnel/testing';
import { DIMENSIONS, FUNNEL_STAGES } from '@funnel/domain';
import fc from 'fast-check';
import { conversionChangeReport } from './conversion-change.reference';
import { runConversionChange } from './conversion-change.sql';

/** Parity property (DESIGN §4): the ClickHouse runner equals the reference, duplicates in separate inserts, before merges. */
describe('Conversion change: ClickHouse equals the reference', () => {
  const facts = useParityFacts();

  it('for any two periods, anchor, target, window and key', async () => {
    await fc.assert(
      fc.asyncProperty(
        seeds, fc.constantFrom(...DIMENSIONS), fc.constantFrom('CAPTURED', 'MQL') , fc.constantFrom(...FUNNEL_STAGES), fc.option(fc.constantFrom(0, 3, 30), { nil: undefined }),
        async (seed, by, anchor, target, windowDays) => {
          const events = await facts.load(seed, 40);
          const p = {
            baseFrom: '2026-01-01T00:00:00.000Z', baseTo: '2026-01-25T00:00:00.000Z',
            from: '2026-01-25T00:00:00.000Z', to: '2026-03-01T00:00:00.000Z', anchor, target, windowDays, by,
          } as const;
          expectClose(await runConversionChange(facts.ch, p), conversionChangeReport(events, p));
        },
      ),
      { numRuns: 10 },
    );
  });
});
