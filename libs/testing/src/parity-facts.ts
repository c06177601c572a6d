import { EmbeddedClickHouse, type ClickHouse } from '@funnel/clickhouse';
import type { FunnelEvent } from '@funnel/contracts';
import { DIMENSIONS } from '@funnel/domain';
import { FACT_TABLES, STATE_TABLES, insertFacts, migrateFacts, truncateFacts } from '@funnel/facts';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateFunnelEvents, shuffled, type GeneratorOptions } from './event-generator';

/**
 * The set-up every metric's parity property shares (`libs/reporting/src/<metric>/
 * <metric>.parity.int-spec.ts`): the ClickHouse runner must equal the reference on random
 * streams with duplicates in separate inserts, in shuffled order, before any merge.
 */
export interface ParityFacts {
  /** The embedded ClickHouse holding the facts (open between beforeAll and afterAll). */
  readonly ch: ClickHouse;
  /** Projects a stream with a third of it delivered twice, in shuffled order and separate inserts. */
  load(seed: number, leads?: number, generator?: Pick<GeneratorOptions, 'routing'>): Promise<FunnelEvent[]>;
}

/** Stream seeds for the parity properties. */
export const paritySeeds = fc.integer({ min: 1, max: 1_000_000 });

/** The report period the parity properties ask for (the generator's events span it and beyond). */
export const parityPeriod = { from: '2026-01-01T00:00:00.000Z', to: '2026-03-15T00:00:00.000Z' };

/** No breakdown, or any dimension. */
export const parityBreakdown = fc.option(fc.constantFrom(...DIMENSIONS), { nil: undefined });

/**
 * Opens an embedded chdb in a temp dir with the facts migrated and merges stopped, for the
 * calling describe block (registers beforeAll/afterAll). One per test file: chdb allows one
 * data directory per process, and jest runs each file in its own worker.
 */
export function useParityFacts(): ParityFacts {
  // A property runs 10-25 generated streams through chdb: about 10-40 s on 2 idle cores, and
  // more when the machine is shared, so the default 60 s would fail on load, not on a bug.
  jest.setTimeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), 'funnel-parity-'));
  let opened: ClickHouse | undefined;

  beforeAll(async () => {
    opened = await EmbeddedClickHouse.open(dir);
    await migrateFacts(opened);
    // No merges: duplicates delivered in separate inserts stay as duplicate rows (and a subject's
    // state stays in several partial rows), as they can on a live server, and every report must
    // still count each event once.
    for (const table of [...FACT_TABLES, ...STATE_TABLES]) await opened.command(`SYSTEM STOP MERGES ${table}`);
  });
  afterAll(async () => {
    await opened?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const facts: ParityFacts = {
    get ch(): ClickHouse {
      if (!opened) throw new Error('useParityFacts: ch is open only inside tests (after beforeAll)');
      return opened;
    },
    async load(seed, leads = 40, generator = {}) {
      const events = generateFunnelEvents({ ...generator, leads, seed, prefix: `s${seed}` });
      await truncateFacts(facts.ch);
      const delivered = shuffled([...events, ...events.slice(0, Math.floor(events.length / 3))], seed + 1);
      for (let i = 0; i < delivered.length; i += 150) await insertFacts(facts.ch, delivered.slice(i, i + 150));
      return delivered;
    },
  };
  return facts;
}
