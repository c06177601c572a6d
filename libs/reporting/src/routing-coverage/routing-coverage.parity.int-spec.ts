import { expectClose, parityBreakdown as breakdown, parityPeriod as period, paritySeeds as seeds, useParityFacts } from '@funnel/testing';
import fc from 'fast-check';
import { ROUTING_LEAD_LISTS } from '@funnel/domain';
import { routingCoverageReport, routingLeadIds } from './routing-coverage.reference';
import { runRoutingCoverage, runRoutingLeads } from './routing-coverage.sql';

const asOfs = fc.constantFrom('2026-01-20T00:00:00.000Z', '2026-02-10T00:00:00.000Z', '2026-06-01T00:00:00.000Z');
const fallbackQueues = fc.constantFrom(['fallback'], ['fallback', 'partners'], [] as string[]);

/** Parity property (DESIGN §4): the ClickHouse runner equals the reference, duplicates in separate inserts, before merges. */
describe('Routing coverage: ClickHouse equals the reference', () => {
  const facts = useParityFacts();

  it('rows for any breakdown, as-of date and fallback queues', async () => {
    await fc.assert(
      fc.asyncProperty(seeds, breakdown, asOfs, fallbackQueues, async (seed, by, asOf, queues) => {
        const events = await facts.load(seed, 40, { routing: true });
        const p = { ...period, asOf, fallbackQueues: queues, breakdown: by };
        expectClose(await runRoutingCoverage(facts.ch, p), routingCoverageReport(events, p));
      }),
      { numRuns: 15 },
    );
  });

  it('lead lists, paged by keyset, for one key or all', async () => {
    await fc.assert(
      fc.asyncProperty(seeds, breakdown, asOfs, fc.constantFrom(...ROUTING_LEAD_LISTS), fc.integer({ min: 1, max: 4 }), async (seed, by, asOf, list, limit) => {
        const events = await facts.load(seed, 40, { routing: true });
        const base = { ...period, asOf, fallbackQueues: ['fallback'], breakdown: by, list };
        const key = by === undefined ? undefined : (routingCoverageReport(events, base)[0]?.key ?? undefined);
        const expected = routingLeadIds(events, { ...base, key });
        const pages: string[] = [];
        let after: string | undefined;
        for (;;) {
          const page = await runRoutingLeads(facts.ch, { ...base, key, limit, after });
          expect(page.totalCount).toBe(expected.length);
          pages.push(...page.leadIds);
          if (page.leadIds.length < limit) break;
          after = page.leadIds[page.leadIds.length - 1];
        }
        expect(pages).toEqual(expected);
      }),
      { numRuns: 10 },
    );
  });
});
