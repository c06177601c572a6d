import { Injectable } from '@nestjs/common';
import { compileMapping, importCsv, outcomesOf, type ImportSummary } from '@funnel/import';
import type { Readable } from 'node:stream';
import { IngestService } from '../ingest/ingest.service';

/** The answer lists rejected rows up to this many; the counts always cover every row. */
export const MAX_LISTED_REJECTS = 10_000;

export interface ImportAnswer extends ImportSummary {
  /** Rejected rows (row numbered as a spreadsheet does, header = 1), with the cells by column. */
  readonly rejects: { row: number; reason: string; cells: Record<string, string> }[];
  readonly rejectsOmitted: number;
}

/** POST /v1/import: the CLI's pipeline with the ingest service as its sender (no HTTP loopback). */
@Injectable()
export class ImportService {
  constructor(private readonly ingest: IngestService) {}

  /** `writer`: the caller, recorded as who wrote each event (DESIGN §8). */
  async import(writer: string, mappingJson: unknown, csv: Readable, encoding?: string): Promise<ImportAnswer> {
    const mapping = compileMapping(mappingJson);
    let header: readonly string[] = [];
    const rejects: ImportAnswer['rejects'] = [];
    let omitted = 0;
    const summary = await importCsv({
      mapping,
      input: csv,
      encoding,
      send: async (events) => outcomesOf(await this.ingest.ingest(events, { writer })),
      onHeader: (h) => void (header = h),
      onReject: (r) => {
        if (rejects.length >= MAX_LISTED_REJECTS) return void omitted++;
        rejects.push({ row: r.row, reason: r.reason, cells: Object.fromEntries(header.map((h, i) => [h, r.cells[i] ?? ''])) });
      },
    });
    return { ...summary, rejects, rejectsOmitted: omitted };
  }
}
