import type { FunnelDefinition, FunnelDefinitionFields } from './funnel-definition';
import {
  CRITERIA,
  EVIDENCE_STAGES,
  mqlFailures,
  sqlFailures,
  supportedStage,
  type Criterion,
  type EvidenceStage,
  type LeadEvidence,
  type StageEntryEvidence,
} from './criteria';

const sortIds = (ids: string[]) => ids.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

export interface MissingCriterion {
  readonly criterion: Criterion;
  readonly count: number;
  readonly leadIds: string[];
}

export interface ComplianceRow {
  readonly stage: 'MQL' | 'SAL' | 'SQL';
  readonly entries: number;
  readonly compliant: number;
  readonly nonCompliant: number;
  /** Per criterion the entries that missed it (an entry can miss several). */
  readonly missing: MissingCriterion[];
  readonly compliantLeadIds: string[];
  readonly nonCompliantLeadIds: string[];
}

/** Criteria a stage entry must meet; SAL has none in the definition. */
function failuresAt(stage: 'MQL' | 'SAL' | 'SQL', e: LeadEvidence, d: FunnelDefinitionFields): Criterion[] {
  if (stage === 'MQL') return mqlFailures(e, d);
  if (stage === 'SQL') return sqlFailures(e, d);
  return [];
}

/** Stage entries that met the definition's entry criteria and those that did not, by missing criterion. */
export function complianceRows(entries: readonly StageEntryEvidence[], d: FunnelDefinitionFields): ComplianceRow[] {
  return (['MQL', 'SAL', 'SQL'] as const).map((stage) => {
    const compliant: string[] = [];
    const nonCompliant: string[] = [];
    const missing = new Map<Criterion, string[]>();
    for (const entry of entries.filter((x) => x.stage === stage)) {
      const failures = failuresAt(stage, entry.evidence, d);
      (failures.length === 0 ? compliant : nonCompliant).push(entry.evidence.leadId);
      for (const f of failures) missing.set(f, [...(missing.get(f) ?? []), entry.evidence.leadId]);
    }
    return {
      stage,
      entries: compliant.length + nonCompliant.length,
      compliant: compliant.length,
      nonCompliant: nonCompliant.length,
      missing: CRITERIA.filter((c) => missing.has(c)).map((c) => ({ criterion: c, count: missing.get(c)!.length, leadIds: sortIds(missing.get(c)!) })),
      compliantLeadIds: sortIds(compliant),
      nonCompliantLeadIds: sortIds(nonCompliant),
    };
  });
}

export interface StageSupport {
  readonly stage: EvidenceStage;
  /** Leads whose evidence supports this stage or a later one. */
  readonly supportedUnderA: number;
  readonly supportedUnderB: number;
}

export interface ClassChange {
  readonly leadId: string;
  readonly stageUnderA: EvidenceStage;
  readonly stageUnderB: EvidenceStage;
  /** Each criterion judged differently by the two versions, with the values that decided it. */
  readonly reasons: string[];
}

export interface DefinitionComparison {
  readonly stages: StageSupport[];
  readonly changes: ClassChange[];
}

function describe(c: Criterion, e: LeadEvidence, d: FunnelDefinitionFields): string {
  switch (c) {
    case 'NO_SCORE':
      return 'no score';
    case 'SCORE_BELOW_MIN':
      return `score ${e.score} < mqlMinScore ${d.mqlMinScore}`;
    case 'NO_BUDGET':
      return 'budget not confirmed';
    case 'NO_AUTHORITY':
      return 'authority not confirmed';
    case 'NO_NEED':
      return 'need not confirmed';
    case 'NO_TIMELINE':
      return 'no timeline';
    case 'TIMELINE_TOO_LONG':
      return `timelineDays ${e.timelineDays} > sqlMaxTimelineDays ${d.sqlMaxTimelineDays}`;
  }
}

export interface ComparedDefinition {
  readonly definition: FunnelDefinitionFields;
  /** How reasons name it: "version 2", or "draft <id>" for a proposal not yet published. */
  readonly label: string;
}

export const publishedVersion = (d: FunnelDefinition): ComparedDefinition => ({ definition: d, label: `version ${d.version}` });

/** What-if: how the same evidence classifies under two definitions, and why each changed lead moved. */
export function compareEvidence(evidence: readonly LeadEvidence[], ca: ComparedDefinition, cb: ComparedDefinition): DefinitionComparison {
  const [a, b] = [ca.definition, cb.definition];
  const rank = (s: EvidenceStage) => EVIDENCE_STAGES.indexOf(s);
  const classified = evidence.map((e) => ({ e, sa: supportedStage(e, a), sb: supportedStage(e, b) }));
  const stages = EVIDENCE_STAGES.map((stage) => ({
    stage,
    supportedUnderA: classified.filter((x) => rank(x.sa) >= rank(stage)).length,
    supportedUnderB: classified.filter((x) => rank(x.sb) >= rank(stage)).length,
  }));
  const changes = classified
    .filter((x) => x.sa !== x.sb)
    .map(({ e, sa, sb }) => {
      const failsA = new Set([...mqlFailures(e, a), ...sqlFailures(e, a)]);
      const failsB = new Set([...mqlFailures(e, b), ...sqlFailures(e, b)]);
      const reasons = CRITERIA.flatMap((c) => {
        if (failsA.has(c) && !failsB.has(c)) return [`${ca.label}: ${describe(c, e, a)}; met under ${cb.label}`];
        if (failsB.has(c) && !failsA.has(c)) return [`${cb.label}: ${describe(c, e, b)}; met under ${ca.label}`];
        return [];
      });
      return { leadId: e.leadId, stageUnderA: sa, stageUnderB: sb, reasons };
    })
    .sort((x, y) => (x.leadId < y.leadId ? -1 : x.leadId > y.leadId ? 1 : 0));
  return { stages, changes };
}
