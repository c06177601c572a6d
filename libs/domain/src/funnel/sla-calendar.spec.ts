import fc from 'fast-check';
import { CALENDAR_MINUTES, slaCalendarProblem, slaDeadline, slaDeadlineMs, workingMsBetween, workingWindows, type SlaCalendar } from './sla-calendar';

const OFFICE: SlaCalendar = { workingHours: { days: ['MON', 'TUE', 'WED', 'THU', 'FRI'], start: '09:00', end: '17:30' }, timeZone: 'Europe/Berlin' };
const NEW_YORK: SlaCalendar = { ...OFFICE, timeZone: 'America/New_York' };
const ALL_DAY: SlaCalendar = { workingHours: { days: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'], start: '00:00', end: '24:00' }, timeZone: 'Europe/Berlin' };
const MIN = 60_000;

describe('SLA calendar', () => {
  it('without working hours counts calendar minutes', () => {
    expect(slaDeadline(CALENDAR_MINUTES, '2026-03-06T16:30:00.000Z', 1440)).toBe('2026-03-07T16:30:00.000Z');
    expect(workingMsBetween(CALENDAR_MINUTES, 0, 90 * MIN)).toBe(90 * MIN);
  });

  it('stops at the close of the working day and resumes on Monday', () => {
    // Friday 16:30 Berlin (CET, UTC+1): one hour is left that day.
    expect(slaDeadline(OFFICE, '2026-03-06T15:30:00.000Z', 60)).toBe('2026-03-06T16:30:00.000Z');
    expect(slaDeadline(OFFICE, '2026-03-06T15:30:00.000Z', 120)).toBe('2026-03-09T09:00:00.000Z');
    // A clock started on Saturday waits for Monday 09:00.
    expect(slaDeadline(OFFICE, '2026-03-07T12:00:00.000Z', 30)).toBe('2026-03-09T08:30:00.000Z');
  });

  it('reads the working hours in the zone across a DST change', () => {
    // New York moves to EDT on Sunday 2026-03-08: Friday closes at 22:30Z, Monday opens at 13:00Z.
    expect(slaDeadline(NEW_YORK, '2026-03-06T22:00:00.000Z', 60)).toBe('2026-03-09T13:30:00.000Z');
    // Berlin's 2026-03-29 has 23 hours; its autumn change (2026-10-25) has 25.
    const [spring] = workingWindows({ ...ALL_DAY, workingHours: ALL_DAY.workingHours! }, Date.parse('2026-03-29T12:00:00Z'), Date.parse('2026-03-29T12:00:00Z'));
    expect(spring.end - spring.start).toBe(23 * 60 * MIN);
    const [autumn] = workingWindows({ ...ALL_DAY, workingHours: ALL_DAY.workingHours! }, Date.parse('2026-10-25T12:00:00Z'), Date.parse('2026-10-25T12:00:00Z'));
    expect(autumn.end - autumn.start).toBe(25 * 60 * MIN);
  });

  it('rejects a zone that does not exist and an empty window', () => {
    expect(slaCalendarProblem({ timeZone: 'Mars/Olympus' })?.field).toBe('timeZone');
    expect(slaCalendarProblem({ timeZone: 'UTC', workingHours: { days: ['MON'], start: '10:00', end: '10:00' } })?.field).toBe('workingHours');
    expect(slaCalendarProblem(OFFICE)).toBeUndefined();
  });

  // Two months around both DST changes of Europe and the US, and many weekends.
  const instant = fc.integer({ min: Date.parse('2026-02-20T00:00:00Z'), max: Date.parse('2026-11-10T00:00:00Z') });
  const minutes = fc.integer({ min: 1, max: 6000 });
  const calendar = fc.constantFrom(OFFICE, NEW_YORK, ALL_DAY, { ...OFFICE, timeZone: 'Australia/Sydney' });

  it('the deadline is the earliest instant by which the limit of working minutes has passed', () => {
    fc.assert(
      fc.property(calendar, instant, minutes, (c, start, limit) => {
        const deadline = slaDeadlineMs(c, start, limit);
        expect(workingMsBetween(c, start, deadline)).toBe(limit * MIN);
        // One millisecond earlier the limit has not passed yet.
        expect(workingMsBetween(c, start, deadline - 1)).toBeLessThan(limit * MIN);
      }),
    );
  });

  it('limits add up: the deadline of a + b is the deadline of b counted from that of a', () => {
    fc.assert(
      fc.property(calendar, instant, minutes, minutes, (c, start, a, b) => {
        expect(slaDeadlineMs(c, slaDeadlineMs(c, start, a), b)).toBe(slaDeadlineMs(c, start, a + b));
      }),
    );
  });

  it('working time between two instants adds up over any point between them', () => {
    fc.assert(
      fc.property(calendar, instant, instant, instant, (c, x, y, z) => {
        const [a, b, m] = [x, y, z].sort((p, q) => p - q);
        expect(workingMsBetween(c, a, m) + workingMsBetween(c, m, b)).toBe(workingMsBetween(c, a, b));
        expect(workingMsBetween(c, a, b)).toBeLessThanOrEqual(b - a);
      }),
      // Each run walks up to nine months day by day.
      { numRuns: 30 },
    );
  });
});
