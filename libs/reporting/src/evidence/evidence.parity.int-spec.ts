import { capturedEvidenceOf, entriesOf } from '@funnel/domain';
import { expectClose, parityPeriod as period, paritySeeds as seeds, useParityFacts } from '@funnel/testing';
import fc from 'fast-check';
import { runCapturedEvidence, runEntryEvidence } from './evidence.sql';

/**
 * Parity property: the definition evidence ClickHouse computes equals the domain's
 * (`entriesOf`, `capturedEvidenceOf`) on random streams with duplicates in separate inserts,
 * in shuffled order, before any merge (libs/testing parity-facts.ts).
 */
describe('definition evidence: ClickHouse equals the domain', () => {
  const facts = useParityFacts();

  it('definition evidence: stage entries and end-of-period evidence', async () => {
    await fc.assert(
      fc.asyncProperty(seeds, async (seed) => {
        const events = await facts.load(seed);
        const byLead = <T extends { leadId?: string; evidence?: { leadId: string }; stage?: string }>(xs: T[]) =>
          [...xs].sort((a, b) => JSON.stringify([a.evidence?.leadId ?? a.leadId, a.stage]).localeCompare(JSON.stringify([b.evidence?.leadId ?? b.leadId, b.stage])));
        expectClose(byLead(await runEntryEvidence(facts.ch, period)), byLead(entriesOf(events, period.from, period.to)));
        expectClose(byLead(await runCapturedEvidence(facts.ch, period)), byLead(capturedEvidenceOf(events, period.from, period.to)));
      }),
      { numRuns: 15 },
    );
  });
});
