import { compareKeys, FUNNEL_STAGES, ratio, type FunnelStage, type Team } from '@funnel/domain';
import type { FunnelGroup } from '../funnel/funnel.rows';

/**
 * Conversion change (DESIGN §4 "who moved the number"): two Funnel cohorts, the change of the
 * overall rate split into a mix effect and a rate effect per key, and the step-by-step log changes.
 * Production code: the runner (over the Funnel SQL) and the reference (over the Funnel reference)
 * both shape their funnel groups here, so the decomposition has one home.
 */

export interface ConversionChangeRow {
  readonly key: string;
  readonly baseLeads: number;
  readonly leads: number;
  readonly baseConverted: number;
  readonly converted: number;
  readonly baseShare: number | null;
  readonly share: number | null;
  readonly baseRate: number | null;
  readonly rate: number | null;
  readonly mixEffect: number | null;
  readonly rateEffect: number | null;
}

export interface ConversionStep {
  readonly fromStage: FunnelStage;
  readonly toStage: FunnelStage;
  readonly owner: Team;
  readonly baseRate: number | null;
  readonly rate: number | null;
  readonly logChange: number | null;
}

export interface ConversionChange {
  readonly baseLeads: number;
  readonly leads: number;
  readonly baseRate: number | null;
  readonly rate: number | null;
  readonly change: number | null;
  readonly mixEffect: number | null;
  readonly rateEffect: number | null;
  readonly rows: ConversionChangeRow[];
  readonly steps: ConversionStep[];
}

/** A step that ends at MQL or earlier is marketing's; every later one is sales'. */
export const stepOwner = (toStage: FunnelStage): Team =>
  FUNNEL_STAGES.indexOf(toStage) <= FUNNEL_STAGES.indexOf('MQL') ? 'MARKETING' : 'SALES';

const reachedOf = (g: FunnelGroup, stage: FunnelStage) => g.stages[FUNNEL_STAGES.indexOf(stage)].reached;
const totalReached = (groups: readonly FunnelGroup[], stage: FunnelStage) => groups.reduce((n, g) => n + reachedOf(g, stage), 0);

/**
 * From the Funnel groups (breakdown `by`, same anchor and window) of the base and the current
 * cohort: n_k = the group's anchor reach, c_k = its target reach (the window already applied).
 */
export function conversionChange(
  base: readonly FunnelGroup[],
  current: readonly FunnelGroup[],
  anchor: FunnelStage,
  target: FunnelStage,
): ConversionChange {
  const count = (groups: readonly FunnelGroup[]) =>
    new Map(groups.map((g) => [g.key as string, { n: reachedOf(g, anchor), c: reachedOf(g, target) }]));
  const [before, after] = [count(base), count(current)];
  const total = (m: Map<string, { n: number; c: number }>) => [...m.values()].reduce((t, v) => ({ n: t.n + v.n, c: t.c + v.c }), { n: 0, c: 0 });
  const [B, A] = [total(before), total(after)];
  // Either cohort empty: no change can be measured, nor split.
  const measurable = B.n > 0 && A.n > 0;

  // Funnel groups exist only for keys with cohort leads: every key here is present in some cohort.
  const keys = [...new Set([...before.keys(), ...after.keys()])];
  const rows = keys.sort(compareKeys).map((key): ConversionChangeRow => {
    const b = before.get(key) ?? { n: 0, c: 0 };
    const a = after.get(key) ?? { n: 0, c: 0 };
    const [baseRate, rate] = [ratio(b.c, b.n), ratio(a.c, a.n)];
    const [baseShare, share] = [ratio(b.n, B.n), ratio(a.n, A.n)];
    if (!measurable) return { key, baseLeads: b.n, leads: a.n, baseConverted: b.c, converted: a.c, baseShare, share, baseRate, rate, mixEffect: null, rateEffect: null };
    // A key absent from one cohort takes the other cohort's rate there, so it adds mix but no rate effect.
    const [rb, ra] = [baseRate ?? (rate as number), rate ?? (baseRate as number)];
    const [sb, sa] = [baseShare as number, share as number];
    return {
      key, baseLeads: b.n, leads: a.n, baseConverted: b.c, converted: a.c, baseShare, share, baseRate, rate,
      mixEffect: ((sa - sb) * (rb + ra)) / 2,
      rateEffect: ((ra - rb) * (sb + sa)) / 2,
    };
  });

  const sum = (pick: (r: ConversionChangeRow) => number | null) => (measurable ? rows.reduce((s, r) => s + (pick(r) as number), 0) : null);
  const [baseRate, rate] = [ratio(B.c, B.n), ratio(A.c, A.n)];
  return {
    baseLeads: B.n,
    leads: A.n,
    baseRate,
    rate,
    change: measurable ? (rate as number) - (baseRate as number) : null,
    mixEffect: sum((r) => r.mixEffect),
    rateEffect: sum((r) => r.rateEffect),
    rows,
    steps: conversionSteps(base, current, anchor, target),
  };
}

/** One step per consecutive pair of stages from anchor to target; logChange = ln(rate / baseRate). */
function conversionSteps(base: readonly FunnelGroup[], current: readonly FunnelGroup[], anchor: FunnelStage, target: FunnelStage): ConversionStep[] {
  const [a, t] = [FUNNEL_STAGES.indexOf(anchor), FUNNEL_STAGES.indexOf(target)];
  return FUNNEL_STAGES.slice(a + 1, t + 1).map((toStage, i) => {
    const fromStage = FUNNEL_STAGES[a + i];
    const stepRate = (groups: readonly FunnelGroup[]) => ratio(totalReached(groups, toStage), totalReached(groups, fromStage));
    const [baseRate, rate] = [stepRate(base), stepRate(current)];
    return { fromStage, toStage, owner: stepOwner(toStage), baseRate, rate, logChange: baseRate && rate ? Math.log(rate / baseRate) : null };
  });
}
