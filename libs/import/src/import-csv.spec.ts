import { Readable } from 'node:stream';
import { compileMapping, MappingError } from './compile-mapping';
import { CsvInputError } from './csv-records';
import { importCsv, type EventOutcome, type RejectedRow, type WireEvent } from './import-csv';

const mapping = compileMapping({
  name: 'leads',
  key: ['id'],
  events: [
    { role: 'captured', type: 'LeadCaptured', occurredAt: { column: 'created', format: 'YYYY-MM-DD' }, fields: { leadId: { column: 'id' }, channel: { column: 'source' } } },
    { role: 'mql', type: 'LeadStageChanged', when: { column: 'mql', equals: 'yes' }, occurredAt: { column: 'created', format: 'YYYY-MM-DD' }, fields: { leadId: { column: 'id' }, stage: { const: 'MQL' } } },
  ],
});

const acceptAll = async (events: readonly WireEvent[]): Promise<EventOutcome[]> => events.map(() => ({ status: 'accepted' }));

async function run(input: string | Buffer, opts: { encoding?: string; send?: (e: readonly WireEvent[]) => Promise<readonly EventOutcome[]>; batchSize?: number } = {}) {
  const rejects: RejectedRow[] = [];
  const batches: WireEvent[][] = [];
  const send = opts.send ?? acceptAll;
  const summary = await importCsv({
    mapping,
    input: Readable.from([typeof input === 'string' ? Buffer.from(input) : input]),
    encoding: opts.encoding,
    batchSize: opts.batchSize,
    send: async (events) => {
      batches.push([...events]);
      return send(events);
    },
    onReject: (r) => void rejects.push(r),
  });
  return { summary, rejects, batches };
}

describe('importCsv', () => {
  it('maps every row, in batches that never split a row, and counts per type', async () => {
    const csv = 'id,created,source,mql\n1,2024-01-01,web,yes\n2,2024-01-02,,no\n3,2024-01-03,ads,yes\n';
    const { summary, batches } = await run(csv, { batchSize: 3 });
    expect(batches.map((b) => b.map((e) => `${e.type}:${e.data.leadId}`))).toEqual([['LeadCaptured:1', 'LeadStageChanged:1', 'LeadCaptured:2'], ['LeadCaptured:3', 'LeadStageChanged:3']]);
    expect(summary).toEqual({
      rows: 3,
      rejectedRows: 0,
      accepted: 5,
      duplicates: 0,
      rejected: 0,
      byType: { LeadCaptured: { events: 3, accepted: 3, duplicates: 0, rejected: 0 }, LeadStageChanged: { events: 2, accepted: 2, duplicates: 0, rejected: 0 } },
    });
  });

  it('drops a UTF-8 byte order mark and reads quoted cells', async () => {
    const { batches } = await run('\ufeffid,created,source,mql\n"1",2024-01-01,"web, paid",no\n');
    expect(batches[0][0].data).toEqual({ leadId: '1', channel: 'web, paid' });
  });

  it('rejects only the bad rows, with their spreadsheet row number, cells and reason', async () => {
    const csv = 'id,created,source,mql\n1,2024-01-01,web,no\n2,2024-13-01,web,no\n3,2024-01-03\n4,2024-01-04,web,no\n';
    const { summary, rejects } = await run(csv);
    expect(rejects).toEqual([
      { row: 3, cells: ['2', '2024-13-01', 'web', 'no'], reason: 'LeadCaptured occurredAt (column "created"): "2024-13-01" is not a date in "YYYY-MM-DD"' },
      { row: 4, cells: ['3', '2024-01-03'], reason: 'the row has 2 fields, the header has 4' },
    ]);
    expect(summary).toMatchObject({ rows: 4, rejectedRows: 2, accepted: 2, rejected: 1 });
  });

  it('maps the server\'s rejections and duplicates back to their rows', async () => {
    const csv = 'id,created,source,mql\n1,2024-01-01,web,yes\n2,2024-01-02,web,yes\n';
    const send = async (events: readonly WireEvent[]): Promise<EventOutcome[]> =>
      events.map((e) => (e.data.leadId === '2' && e.type === 'LeadStageChanged' ? { status: 'rejected', errors: [{ path: 'data.stage', message: 'nope' }] } : e.data.leadId === '1' ? { status: 'duplicate' } : { status: 'accepted' }));
    const { summary, rejects } = await run(csv, { send });
    expect(rejects).toEqual([{ row: 3, cells: ['2', '2024-01-02', 'web', 'yes'], reason: 'LeadStageChanged rejected by the server: data.stage nope' }]);
    expect(summary.byType).toEqual({ LeadCaptured: { events: 2, accepted: 1, duplicates: 1, rejected: 0 }, LeadStageChanged: { events: 2, accepted: 0, duplicates: 1, rejected: 1 } });
  });

  it('stops before sending anything when a mapped column is missing from the header', async () => {
    const result = run('id,created,mql\n1,2024-01-01,no\n');
    await expect(result).rejects.toThrow(MappingError);
    await expect(result).rejects.toThrow('events[0].fields.channel.column: column "source" is not in the file\'s header ("id", "created", "mql")');
  });

  it('refuses a file that is not UTF-8 and suggests latin1, which then reads it', async () => {
    const latin1 = Buffer.from('id,created,source,mql\n1,2024-01-01,Caf\xe9 M\xfcller,no\n', 'latin1');
    await expect(run(latin1)).rejects.toThrow(CsvInputError);
    await expect(run(latin1)).rejects.toThrow(/not valid UTF-8.*--encoding latin1/);
    const { batches } = await run(latin1, { encoding: 'latin1' });
    expect(batches[0][0].data.channel).toBe('Café Müller');
  });

  it('stops on broken quoting, naming the line', async () => {
    await expect(run('id,created,source,mql\n1,2024-01-01,"web,no\n2,2024-01-02,web,no\n')).rejects.toThrow(/^the file is not valid CSV: Quote Not Closed/);
  });

  it('maps the next batch while one is in flight, never sends two at once, and reports rejects in row order', async () => {
    // Batches of 2 events: rows 2-3, then 4 (row 5 rejected while it is read), then 6.
    const csv = 'id,created,source,mql\n1,2024-01-01,web,no\n2,2024-01-02,web,no\n3,2024-01-03,web,no\n4,bad,web,no\n5,2024-01-05,web,no\n6,2024-01-06,web,no\n';
    let inFlight = 0;
    let maxInFlight = 0;
    const rowsReadWhileSending: number[] = [];
    let rowsRead = 0;
    const rejects: RejectedRow[] = [];
    const summary = await importCsv({
      mapping,
      input: Readable.from([Buffer.from(csv)]),
      batchSize: 2,
      onProgress: ({ rows }) => void (rowsRead = rows),
      send: async (events) => {
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        const before = rowsRead;
        await new Promise((r) => setTimeout(r, 20));
        rowsReadWhileSending.push(rowsRead - before);
        inFlight--;
        return events.map((e) => (e.data.leadId === '2' ? { status: 'rejected', errors: [{ path: 'data.channel', message: 'nope' }] } : { status: 'accepted' }));
      },
      onReject: (r) => void rejects.push(r),
    });
    expect(maxInFlight).toBe(1);
    expect(rowsReadWhileSending[0]).toBeGreaterThan(0);
    expect(rejects.map((r) => r.row)).toEqual([3, 5]);
    expect(summary).toMatchObject({ rows: 6, rejectedRows: 2, accepted: 4, rejected: 2 });
  });

  it('reads no further ahead of the sender than a batch and the stream buffers (backpressure)', async () => {
    const rows = 50_000;
    let generated = 0;
    let sent = 0;
    let maxAhead = 0;
    async function* file() {
      yield 'id,created,source,mql\n';
      for (let i = 0; i < rows; i += 100) {
        let chunk = '';
        for (let j = i; j < i + 100; j++) chunk += `${j},2024-01-01,web,no\n`;
        generated += 100;
        yield chunk;
      }
    }
    const summary = await importCsv({
      mapping,
      input: Readable.from(file()),
      batchSize: 1000,
      send: async (events) => {
        maxAhead = Math.max(maxAhead, generated - sent);
        await new Promise((r) => setImmediate(r));
        sent += events.length;
        return events.map(() => ({ status: 'accepted' }));
      },
    });
    expect(summary.accepted).toBe(rows);
    // The reader may run ahead by the stream buffers (a few thousand short rows), never by the file.
    expect(maxAhead).toBeLessThan(10_000);
  });
});
