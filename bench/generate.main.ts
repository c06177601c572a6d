import { EmbeddedClickHouse } from '@funnel/clickhouse';
import { compactState, migrateFacts } from '@funnel/facts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateFacts, sizeAt } from './generate';

/**
 * `node dist/bench/generate.main.js <DATA_DIR> <scale>`: fills the fact tables of a data
 * directory's ClickHouse with the generated history and prints `{"factRows", "peakRssMiB"}`.
 * The report scenarios run it in a child process: generating 12M rows in one INSERT ... SELECT
 * per table is the bench's own set-up, and its peak (about 4.8 GiB at scale 1) would otherwise be
 * counted as the product's memory.
 */
async function main(): Promise<void> {
  const [dataDir, scale] = process.argv.slice(2);
  if (!dataDir || !Number.isFinite(Number(scale))) throw new Error('usage: generate.main.js <DATA_DIR> <scale>');
  const ch = await EmbeddedClickHouse.open(join(dataDir, 'clickhouse'));
  try {
    await migrateFacts(ch);
    const factRows = await generateFacts(ch, sizeAt(Number(scale)));
    // The history stands in for one the projection loaded, which compacts the state once the
    // load is over (ClickHouseProjection); so does this.
    await compactState(ch);
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    process.stdout.write(`${JSON.stringify({ factRows, peakRssMiB: hwm ? Number(hwm[1]) / 1024 : null })}\n`);
  } finally {
    await ch.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
