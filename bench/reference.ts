import { repoRoot, type ClickHouse } from '@funnel/clickhouse';
import type { AttributionReport, AttributionRow, FunnelGroup } from '@funnel/reporting';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The hand-written reference queries of bench/reference/ (written from DESIGN §4, not by the
 * product's SQL builders) and the checks that they give the product's answers.
 */
const sql = (name: string) => readFileSync(join(repoRoot(), 'bench/reference', name), 'utf8');
export const REFERENCE_SQL = {
  attribution: sql('attribution-w-shaped.sql'),
  funnel: sql('funnel-by-campaign.sql'),
  attributionPostgres: sql('attribution-w-shaped.pg.sql'),
};

export interface Period {
  readonly from: string;
  readonly to: string;
}

/** The one attribution the bench compares: DESIGN's defaults (lookback 365, half-life 7). */
export const attributionParams = (p: Period) => ({ ...p, model: 'W_SHAPED', milestone: 'WON', by: 'CAMPAIGN', lookbackDays: 365, halfLifeDays: 7 }) as const;
export const funnelParams = (p: Period) => ({ ...p, anchor: 'CAPTURED', breakdown: 'CAMPAIGN' }) as const;

export async function referenceAttribution(ch: ClickHouse, p: Period): Promise<AttributionRow[]> {
  const rows = await ch.query<AttributionRow>(REFERENCE_SQL.attribution, { from: p.from, to: p.to, lookbackDays: 365 });
  return rows.map((r) => ({ key: r.key, credit: Number(r.credit), value: Number(r.value) }));
}

export interface StageCounts {
  readonly key: string;
  readonly counts: Record<string, number>;
}

export async function referenceFunnel(ch: ClickHouse, p: Period): Promise<StageCounts[]> {
  const rows = await ch.query<Record<string, string>>(REFERENCE_SQL.funnel, { from: p.from, to: p.to });
  return rows.map(({ key, ...counts }) => ({ key, counts: Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, Number(v)])) }));
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));

/** Differences between the product's attribution and a reference's rows (empty = same answer). */
export function attributionDiff(product: AttributionReport, reference: readonly AttributionRow[]): string[] {
  const ref = new Map(reference.map((r) => [r.key, r]));
  const diffs: string[] = [];
  for (const row of product.rows) {
    const r = ref.get(row.key);
    ref.delete(row.key);
    if (!r) diffs.push(`${row.key}: only in the product (credit ${row.credit})`);
    else if (!close(row.credit, r.credit) || !close(row.value, r.value)) diffs.push(`${row.key}: product ${row.credit} / ${row.value}, reference ${r.credit} / ${r.value}`);
  }
  for (const r of ref.values()) diffs.push(`${r.key}: only in the reference (credit ${r.credit})`);
  return diffs;
}

/** Differences between the product's funnel groups and the reference's counts (empty = same answer). */
export function funnelDiff(product: readonly FunnelGroup[], reference: readonly StageCounts[]): string[] {
  const ref = new Map(reference.map((r) => [r.key, r.counts]));
  const diffs: string[] = [];
  for (const group of product) {
    const counts = ref.get(group.key ?? '(none)');
    ref.delete(group.key ?? '(none)');
    if (!counts) {
      diffs.push(`${group.key}: only in the product`);
      continue;
    }
    for (const s of group.stages) {
      if (s.entered !== counts[`entered_${s.stage}`] || s.reached !== counts[`reached_${s.stage}`]) {
        diffs.push(`${group.key} ${s.stage}: product ${s.entered}/${s.reached}, reference ${counts[`entered_${s.stage}`]}/${counts[`reached_${s.stage}`]} (entered/reached)`);
      }
    }
  }
  for (const key of ref.keys()) diffs.push(`${key}: only in the reference`);
  return diffs;
}

/** Prints differences loudly and returns whether there were none. */
export function reportParity(name: string, diffs: readonly string[]): boolean {
  if (diffs.length === 0) return true;
  console.error(`\n!!! ${name}: the hand-written reference and the product DISAGREE (${diffs.length} differences):`);
  for (const d of diffs.slice(0, 10)) console.error(`!!!   ${d}`);
  return false;
}
