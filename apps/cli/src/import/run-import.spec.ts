import type { ImportSummary } from '@funnel/import';
import { PassThrough } from 'node:stream';
import { progress } from './progress';
import { formatSummary } from './run-import';

const summary: ImportSummary = {
  rows: 3,
  rejectedRows: 1,
  accepted: 3,
  duplicates: 1,
  rejected: 1,
  byType: {
    OpportunityWon: { events: 1, accepted: 1, duplicates: 0, rejected: 0 },
    OpportunityCreated: { events: 3, accepted: 2, duplicates: 1, rejected: 1 },
  },
};

describe('formatSummary', () => {
  it('prints accepted, duplicates and rejected per event type, then the totals', () => {
    expect(formatSummary(summary, false)).toBe(
      [
        'type                 accepted duplicates   rejected',
        'OpportunityCreated          2          1          1',
        'OpportunityWon              1          0          0',
        '3 rows: 3 accepted, 1 duplicates, 1 rejected events (1 rows rejected)',
        '',
      ].join('\n'),
    );
  });

  it('prints what would be sent in a dry run', () => {
    expect(formatSummary(summary, true)).toContain('3 rows, 4 events would be sent, 1 rows rejected');
  });
});

describe('progress off a terminal', () => {
  it('writes a plain line with rows, share of bytes and rows/s every 5 seconds', () => {
    let now = 0;
    const stream = new PassThrough() as unknown as NodeJS.WriteStream;
    let written = '';
    (stream as unknown as PassThrough).on('data', (c: Buffer) => (written += c.toString()));
    const bar = progress('leads.csv', 1000, stream, () => now);
    now = 1000;
    bar.update(100, 100);
    now = 5000;
    bar.update(500, 250);
    now = 6000;
    bar.update(600, 300);
    bar.stop();
    expect(written).toBe('leads.csv: 500 rows (25%), 100 rows/s\n');
  });
});
