import type { FunnelEvent } from '@funnel/contracts';
import {
  buildFunnelModel,
  inPeriod,
  stageReach,
  type FunnelModel,
  type LeadFacts,
} from '../funnel/funnel-model';
import { toInstant } from '../funnel/opportunity-status';
import type { FunnelDefinitionFields } from './funnel-definition';

/**
 * Entry criteria of a definition (DESIGN §3) applied to the evidence a lead had at a moment:
 * its latest score and BANT answers, and whether anyone followed it up. Used to flag
 * non-compliant stage entries and to derive the stage the evidence supports.
 */

export interface LeadEvidence {
  readonly leadId: string;
  readonly score?: number;
  readonly budget?: boolean;
  readonly authority?: boolean;
  readonly need?: boolean;
  readonly timelineDays?: number;
  readonly hasActivity: boolean;
}

export const CRITERIA = ['NO_SCORE', 'SCORE_BELOW_MIN', 'NO_BUDGET', 'NO_AUTHORITY', 'NO_NEED', 'NO_TIMELINE', 'TIMELINE_TOO_LONG'] as const;
export type Criterion = (typeof CRITERIA)[number];

export function mqlFailures(e: LeadEvidence, d: FunnelDefinitionFields): Criterion[] {
  if (e.score === undefined) return ['NO_SCORE'];
  return e.score < d.mqlMinScore ? ['SCORE_BELOW_MIN'] : [];
}

export function sqlFailures(e: LeadEvidence, d: FunnelDefinitionFields): Criterion[] {
  const failures: Criterion[] = [];
  if (d.sqlRequireBudget && e.budget !== true) failures.push('NO_BUDGET');
  if (d.sqlRequireAuthority && e.authority !== true) failures.push('NO_AUTHORITY');
  if (d.sqlRequireNeed && e.need !== true) failures.push('NO_NEED');
  if (e.timelineDays === undefined) failures.push('NO_TIMELINE');
  else if (e.timelineDays > d.sqlMaxTimelineDays) failures.push('TIMELINE_TOO_LONG');
  return failures;
}

export type EvidenceStage = 'CAPTURED' | 'MQL' | 'SAL' | 'SQL';
export const EVIDENCE_STAGES: readonly EvidenceStage[] = ['CAPTURED', 'MQL', 'SAL', 'SQL'];

/**
 * The highest stage the evidence supports: SQL when the BANT criteria hold; SAL when the MQL
 * criterion holds and someone followed the lead up; MQL when the score clears the threshold.
 */
export function supportedStage(e: LeadEvidence, d: FunnelDefinitionFields): EvidenceStage {
  if (sqlFailures(e, d).length === 0) return 'SQL';
  const mql = mqlFailures(e, d).length === 0;
  if (mql && e.hasActivity) return 'SAL';
  return mql ? 'MQL' : 'CAPTURED';
}

/**
 * The evidence a lead had at `at`: latest score, latest value of each BANT field, any activity.
 * At a stage entry the events of that same instant count (`inclusive`); at the end of a
 * half-open period they do not.
 */
export function evidenceAt(lead: LeadFacts, at: string, inclusive: boolean): LeadEvidence {
  let evidence: { -readonly [K in keyof LeadEvidence]: LeadEvidence[K] } = { leadId: lead.leadId, hasActivity: false };
  for (const e of lead.events) {
    if (inclusive ? e.occurredAt > at : e.occurredAt >= at) break;
    if (e.type === 'LeadScored') evidence.score = e.data.score;
    if (e.type === 'LeadActivityLogged') evidence.hasActivity = true;
    if (e.type === 'LeadQualificationUpdated') {
      const { budget, authority, need, timelineDays } = e.data;
      evidence = {
        ...evidence,
        ...(budget !== undefined ? { budget } : {}),
        ...(authority !== undefined ? { authority } : {}),
        ...(need !== undefined ? { need } : {}),
        ...(timelineDays !== undefined ? { timelineDays } : {}),
      };
    }
  }
  return evidence;
}

/** An explicit stage entry (first LeadStageChanged to the stage) with the evidence at that moment. */
export interface StageEntryEvidence {
  readonly stage: 'MQL' | 'SAL' | 'SQL';
  readonly evidence: LeadEvidence;
}

export function entriesInPeriod(model: FunnelModel, from: string, to: string): StageEntryEvidence[] {
  const out: StageEntryEvidence[] = [];
  for (const lead of model.leads.values()) {
    const seen = new Set<string>();
    for (const e of lead.events) {
      if (e.type !== 'LeadStageChanged' || seen.has(e.data.stage)) continue;
      seen.add(e.data.stage);
      if (inPeriod(e.occurredAt, from, to)) out.push({ stage: e.data.stage, evidence: evidenceAt(lead, e.occurredAt, true) });
    }
  }
  return out;
}

/** Evidence as of the end of the period for the leads that reached CAPTURED in it. */
export function capturedEvidence(model: FunnelModel, from: string, to: string): LeadEvidence[] {
  const out: LeadEvidence[] = [];
  for (const lead of model.leads.values()) {
    if (inPeriod(stageReach(model, lead).reachedAt.CAPTURED, from, to)) out.push(evidenceAt(lead, to, false));
  }
  return out;
}

/** Entries in [from, to) of leads from a list of events (reference path). */
export function entriesOf(events: readonly FunnelEvent[], from: string, to: string): StageEntryEvidence[] {
  return entriesInPeriod(buildFunnelModel(events), toInstant(from), toInstant(to));
}

/** Evidence at the end of [from, to) of the leads captured in it (reference path). */
export function capturedEvidenceOf(events: readonly FunnelEvent[], from: string, to: string): LeadEvidence[] {
  return capturedEvidence(buildFunnelModel(events), toInstant(from), toInstant(to));
}
