import type { SlaCalendar } from '@funnel/domain';
import { paritySeeds as seeds, useParityFacts } from '@funnel/testing';
import fc from 'fast-check';
import { slaBreaches } from './sla-breaches.reference';
import { runSlaBreaches } from './sla-breaches.sql';

/** The breach checker's query (DESIGN §7) equals its oracle, on calendar minutes and on working hours across weekends and DST. */
describe('SLA breaches: ClickHouse equals the reference', () => {
  const facts = useParityFacts();
  const calendars = fc.constantFrom<SlaCalendar>(
    { timeZone: 'UTC' },
    { workingHours: { days: ['MON', 'TUE', 'WED', 'THU', 'FRI'], start: '09:00', end: '17:30' }, timeZone: 'America/New_York' },
    { workingHours: { days: ['TUE', 'SAT'], start: '22:00', end: '24:00' }, timeZone: 'Europe/London' },
  );

  it('every breach and escalation due by now', async () => {
    await fc.assert(
      fc.asyncProperty(seeds, calendars, fc.constantFrom(30, 600, 1440), fc.constantFrom('2026-01-20T00:00:00.000Z', '2026-03-09T15:00:00.000Z', '2026-06-01T00:00:00.000Z'),
        async (seed, calendar, limit, now) => {
          const events = await facts.load(seed);
          const p = { now, speedToLeadMinutes: limit, calendar };
          expect(await runSlaBreaches(facts.ch, p)).toEqual(slaBreaches(events, p));
        }),
      { numRuns: 15 },
    );
  });
});
