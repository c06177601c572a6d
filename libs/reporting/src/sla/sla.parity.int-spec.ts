import { expectClose, parityBreakdown as breakdown, parityPeriod as period, paritySeeds as seeds, useParityFacts } from '@funnel/testing';
import fc from 'fast-check';
import type { SlaCalendar } from '@funnel/domain';
import { slaReport } from './sla.reference';
import { runSla } from './sla.sql';

/**
 * Parity property (DESIGN §4): the ClickHouse runner equals the reference on random streams
 * with duplicates in separate inserts, in shuffled order, before any merge (libs/testing
 * parity-facts.ts).
 */
describe('SLA: ClickHouse equals the reference', () => {
  const facts = useParityFacts();

  it('SLA for any breakdown, speed-to-lead limit and as-of date', async () => {
    await fc.assert(
      fc.asyncProperty(seeds, breakdown, fc.constantFrom(60, 1440, 2880), fc.constantFrom('2026-01-20T00:00:00.000Z', '2026-04-01T00:00:00.000Z'),
        async (seed, by, limit, asOf) => {
          const events = await facts.load(seed);
          const sla = { ...period, asOf, speedToLeadMinutes: limit, breakdown: by };
          expectClose(await runSla(facts.ch, sla), slaReport(events, sla));
        }),
      { numRuns: 20 },
    );
  });

  // The parity period holds weekends and, for New York, the DST change of 2026-03-08.
  const calendars = fc.constantFrom<SlaCalendar>(
    { workingHours: { days: ['MON', 'TUE', 'WED', 'THU', 'FRI'], start: '09:00', end: '17:30' }, timeZone: 'America/New_York' },
    { workingHours: { days: ['MON', 'WED', 'SAT'], start: '01:30', end: '24:00' }, timeZone: 'Europe/Berlin' },
    { workingHours: { days: ['SUN', 'MON', 'TUE', 'WED', 'THU'], start: '08:00', end: '16:00' }, timeZone: 'Asia/Riyadh' },
  );

  it('SLA under working hours, across weekends and a DST change', async () => {
    await fc.assert(
      fc.asyncProperty(seeds, breakdown, calendars, fc.constantFrom(60, 600, 1440), fc.constantFrom('2026-01-20T00:00:00.000Z', '2026-03-10T12:00:00.000Z', '2026-04-01T00:00:00.000Z'),
        async (seed, by, calendar, limit, asOf) => {
          const events = await facts.load(seed);
          const sla = { ...period, asOf, speedToLeadMinutes: limit, breakdown: by, calendar };
          expectClose(await runSla(facts.ch, sla), slaReport(events, sla));
        }),
      { numRuns: 20 },
    );
  });
});
