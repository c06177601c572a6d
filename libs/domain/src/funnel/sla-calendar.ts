import { WEEKDAYS, type DefinitionFieldsData, type WorkingHoursData } from '@funnel/contracts';
import { DateTime, IANAZone } from 'luxon';

/**
 * The clock speed-to-lead minutes run on (DESIGN §3): every minute (no working hours), or only
 * the minutes inside the definition's working hours, read in its time zone. The SLA report (SQL
 * and reference) and the breach checker all derive their deadlines from this one file.
 */
export interface SlaCalendar {
  readonly workingHours?: WorkingHoursData;
  readonly timeZone: string;
}

export const CALENDAR_MINUTES: SlaCalendar = { timeZone: 'UTC' };

export function slaCalendarOf(d: Pick<DefinitionFieldsData, 'workingHours' | 'timeZone'>): SlaCalendar {
  return { ...(d.workingHours ? { workingHours: d.workingHours } : {}), timeZone: d.timeZone ?? 'UTC' };
}

const MINUTE_MS = 60_000;
const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;

/** Why a workingHours / timeZone pair cannot be used, or undefined when it can. */
export function slaCalendarProblem(c: SlaCalendar): { field: 'workingHours' | 'timeZone'; message: string } | undefined {
  if (!IANAZone.isValidZone(c.timeZone)) return { field: 'timeZone', message: `"${c.timeZone}" is not an IANA time zone` };
  const w = c.workingHours;
  if (!w) return undefined;
  if (w.days.length === 0) return { field: 'workingHours', message: 'days must list at least one day' };
  if (new Set(w.days).size !== w.days.length) return { field: 'workingHours', message: 'days must not repeat a day' };
  if (w.days.some((d) => !(WEEKDAYS as readonly string[]).includes(d))) {
    return { field: 'workingHours', message: `days must be among ${WEEKDAYS.join(', ')}` };
  }
  if (!HH_MM.test(w.start) || !HH_MM.test(w.end)) return { field: 'workingHours', message: 'start and end must be HH:MM (00:00 to 24:00)' };
  if (w.start >= w.end) return { field: 'workingHours', message: `start (${w.start}) must be before end (${w.end})` };
  return undefined;
}

/** One local day's working window as UTC milliseconds; `start === end` on a day off. */
export interface WorkingWindow {
  readonly day: string;
  readonly start: number;
  readonly end: number;
}

const atWallTime = (day: DateTime, hhmm: string): DateTime => {
  const [h, m] = hhmm.split(':').map(Number);
  // 24:00 is the next midnight; a wall time inside a DST gap moves forward, as luxon resolves it.
  return h === 24 ? day.plus({ days: 1 }).startOf('day') : day.set({ hour: h, minute: m, second: 0, millisecond: 0 });
};

/** The local day holding instant `ms` in the calendar's zone (its start of day). */
const localDay = (ms: number, zone: string): DateTime => DateTime.fromMillis(ms, { zone }).startOf('day');

function windowOf(day: DateTime, w: WorkingHoursData): WorkingWindow {
  const iso = day.toISODate() as string;
  if (!w.days.includes(WEEKDAYS[day.weekday - 1])) return { day: iso, start: day.toMillis(), end: day.toMillis() };
  return { day: iso, start: atWallTime(day, w.start).toMillis(), end: atWallTime(day, w.end).toMillis() };
}

/** The working window of every local day from the one holding `fromMs` to the one holding `toMs`. */
export function workingWindows(c: SlaCalendar & { workingHours: WorkingHoursData }, fromMs: number, toMs: number): WorkingWindow[] {
  const out: WorkingWindow[] = [];
  const last = localDay(toMs, c.timeZone);
  for (let day = localDay(fromMs, c.timeZone); day <= last; day = day.plus({ days: 1 })) out.push(windowOf(day, c.workingHours));
  return out;
}

/** Working milliseconds in [a, b] (calendar: b − a). */
export function workingMsBetween(c: SlaCalendar, a: number, b: number): number {
  if (!c.workingHours) return b - a;
  if (b < a) return -workingMsBetween(c, b, a);
  return workingWindows({ ...c, workingHours: c.workingHours }, a, b).reduce(
    (sum, w) => sum + Math.max(0, Math.min(w.end, b) - Math.max(w.start, a)),
    0,
  );
}

/**
 * The deadline of a clock started at `startMs` with a limit of `minutes`: the earliest instant by
 * which that many working minutes have passed (calendar: start + minutes). A clock started out of
 * hours waits for the next window; one whose limit runs out at a window's end is due then, not at
 * the next window's start, so a breach is raised as the working day closes.
 */
export function slaDeadlineMs(c: SlaCalendar, startMs: number, minutes: number): number {
  let remaining = minutes * MINUTE_MS;
  const w = c.workingHours;
  if (!w) return startMs + remaining;
  for (let day = localDay(startMs, c.timeZone); ; day = day.plus({ days: 1 })) {
    const win = windowOf(day, w);
    const from = Math.max(win.start, startMs);
    const available = win.end - from;
    if (available <= 0) continue;
    if (available >= remaining) return from + remaining;
    remaining -= available;
  }
}

export const slaDeadline = (c: SlaCalendar, start: string, minutes: number): string =>
  new Date(slaDeadlineMs(c, Date.parse(start), minutes)).toISOString();
