import { workingWindows, type SlaCalendar } from '@funnel/domain';
import { millis } from '../lead-reach.sql';

/**
 * The SLA calendar (libs/domain sla-calendar.ts) in ClickHouse. The working windows are not
 * recomputed in SQL: the domain lists one window per local day of the range and the query looks
 * them up by local date, so SQL and the reference share one DST and weekend arithmetic. Per day
 * d (1-based from `calBase`): `calWs[d]`, `calWe[d]` its window in UTC ms (equal on a day off),
 * `calCw[d]` the working ms of the range before it, `calCe[d]` those up to its end.
 */

export interface CalendarRange {
  /** Every instant the query compares lies in [from, to]. */
  readonly from: string;
  readonly to: string;
}

const DAY_MS = 86_400_000;

/** The query parameters of the calendar; none for calendar minutes. */
export function calendarParams(c: SlaCalendar, range: CalendarRange, maxLimitMinutes: number): Record<string, unknown> {
  const w = c.workingHours;
  if (!w) return {};
  const windows = workingWindows({ ...c, workingHours: w }, Date.parse(range.from) - DAY_MS, Date.parse(range.to) + DAY_MS);
  const cw: number[] = [];
  let total = 0;
  for (const win of windows) {
    cw.push(total);
    total += win.end - win.start;
  }
  // A deadline lies within this many days of its start: enough whole weeks at half the nominal
  // weekly hours (a DST change takes at most an hour from a week), plus one week to reach them.
  const nominalWeekMin = w.days.length * (minutesOf(w.end) - minutesOf(w.start));
  const slice = Math.min(windows.length, 7 * (Math.ceil(maxLimitMinutes / (nominalWeekMin / 2)) + 2));
  return {
    calBase: windows[0].day,
    calTz: c.timeZone,
    calDays: windows.length,
    calSlice: slice,
    calWs: windows.map((x) => x.start),
    calWe: windows.map((x) => x.end),
    calCw: cw,
    calCe: windows.map((x, i) => cw[i] + x.end - x.start),
  };
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

const WS = '{calWs:Array(Int64)}';
const WE = '{calWe:Array(Int64)}';
const CW = '{calCw:Array(Int64)}';
const CE = '{calCe:Array(Int64)}';

/** The calendar day index of a DateTime64 column: its local date in the zone, clamped to the range. */
const dayIndex = (col: string) =>
  `toUInt32(least(greatest(dateDiff('day', {calBase:Date}, toDate(${col}, {calTz:String})) + 1, 1), {calDays:Int64}))`;

/** Working ms from the range's start to the instant in `col`. */
export function workingMsSql(col: string): string {
  const d = dayIndex(col);
  return `(${CW}[${d}] + least(greatest(${millis(col)} - ${WS}[${d}], 0), ${WE}[${d}] - ${WS}[${d}]))`;
}

/**
 * The deadline (UTC ms) of a clock started at `startCol` with `limitMs` working ms: the first day
 * whose window end reaches the target, and the point inside it; NULL past the range.
 */
export function deadlineSql(startCol: string, limitMs: string): string {
  const d = dayIndex(startCol);
  const target = `(${workingMsSql(startCol)} + ${limitMs})`;
  const hit = `arrayFirstIndex(x -> x >= ${target}, arraySlice(${CE}, ${d}, {calSlice:UInt32}))`;
  const day = `(${d} + ${hit} - 1)`;
  return `if(${hit} = 0, NULL, ${WS}[${day}] + (${target} - ${CW}[${day}]))`;
}
