import type { LogEvent } from '@funnel/contracts';
import type { LogRecord } from '../event-log.port';
import { RecentRecords } from './recent-records';

const record = (position: number): LogRecord => ({ position: String(position), event: { id: `e${position}` } as LogEvent });
const positions = (records: readonly LogRecord[]) => records.map((r) => Number(r.position));

describe('RecentRecords', () => {
  it('hands out what a read covered, from any checkpoint inside it, up to the limit', () => {
    const recent = new RecentRecords(100);
    recent.add('0', [1, 2, 3, 5].map(record)); // 4 rolled back: a gap inside a segment is part of what the read proved

    expect(positions(recent.take('0', 10))).toEqual([1, 2, 3, 5]);
    expect(positions(recent.take('2', 10))).toEqual([3, 5]);
    expect(positions(recent.take('3', 10))).toEqual([5]);
    expect(positions(recent.take('1', 2))).toEqual([2, 3]);
  });

  it('joins segments that meet, and stops at what no read covered', () => {
    const recent = new RecentRecords(100);
    recent.add('0', [1, 2].map(record));
    recent.add('2', [3, 4].map(record));
    recent.add('6', [7].map(record)); // 5 and 6 were never read here

    expect(positions(recent.take('1', 10))).toEqual([2, 3, 4]);
    expect(recent.take('4', 10)).toEqual([]);
    expect(recent.take('5', 10)).toEqual([]);
    expect(positions(recent.take('6', 10))).toEqual([7]);
    expect(recent.take('7', 10)).toEqual([]);
  });

  it('serves overlapping reads of two consumers', () => {
    const recent = new RecentRecords(100);
    recent.add('2', [3, 4, 5].map(record));
    recent.add('0', [1, 2, 3].map(record));

    expect(positions(recent.take('0', 10))).toEqual([1, 2, 3, 4, 5]);
  });

  it('forgets the oldest segments beyond its capacity', () => {
    const recent = new RecentRecords(3);
    recent.add('0', [1, 2].map(record));
    recent.add('2', [3, 4].map(record));

    expect(recent.take('0', 10)).toEqual([]);
    expect(positions(recent.take('2', 10))).toEqual([3, 4]);
  });
});
