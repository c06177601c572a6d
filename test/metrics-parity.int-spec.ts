import { EmbeddedClickHouse, type ClickHouse } from '@funnel/clickhouse';
import { FACT_TABLES, insertFacts, migrateFacts, truncateFacts } from '@funnel/facts';
import type { FunnelEvent } from '@funnel/contracts';
import {
  ATTRIBUTION_MODELS,
  DIMENSIONS,
  FUNNEL_STAGES,
  GRAINS,
  MILESTONES,
  capturedEvidenceOf,
  entriesOf,
} from '@funnel/domain';
import {
  attributionReport,
  campaignPerformance,
  cohortReport,
  funnelReport,
  leadQualityVsHandling,
  pipelineVelocity,
  reconciliationReport,
  scoreCalibration,
  slaReport,
  stalledOpportunities,
  velocityReport,
} from '@funnel/reporting';
import {
  runAttribution,
  runCampaignPerformance,
  runCapturedEvidence,
  runEntryEvidence,
  runCohorts,
  runFunnel,
  runLeadQuality,
  runPipelineVelocity,
  runReconciliation,
  runScoreCalibration,
  runSla,
  runStalled,
  runVelocity,
} from '@funnel/reporting';
import { expectClose, generateFunnelEvents, shuffled } from '@funnel/testing';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Every ClickHouse report equals the reference implementation of DESIGN §4 (libs/domain) on
 * random streams with duplicates and shuffled order, before any merge has deduplicated facts.
 */

describe('ClickHouse reports equal the reference implementation', () => {
  const dir = mkdtempSync(join(tmpdir(), 'funnel-parity-'));
  let ch: ClickHouse;

  beforeAll(async () => {
    ch = await EmbeddedClickHouse.open(dir);
    await migrateFacts(ch);
    // No merges: duplicates delivered in separate inserts stay as duplicate rows, as they can
    // on a live server, and every report must still count each event once.
    for (const table of FACT_TABLES) await ch.command(`SYSTEM STOP MERGES ${table}`);
  });
  afterAll(async () => {
    await ch?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Projects a stream with a third of it delivered twice, in shuffled order and separate inserts. */
  async function load(seed: number, leads = 40): Promise<FunnelEvent[]> {
    const events = generateFunnelEvents({ leads, seed, prefix: `s${seed}` });
    await truncateFacts(ch);
    const delivered = shuffled([...events, ...events.slice(0, Math.floor(events.length / 3))], seed + 1);
    for (let i = 0; i < delivered.length; i += 150) await insertFacts(ch, delivered.slice(i, i + 150));
    return delivered;
  }

  const seeds = fc.integer({ min: 1, max: 1_000_000 });
  const period = { from: '2026-01-01T00:00:00.000Z', to: '2026-03-15T00:00:00.000Z' };

  it('attribution: every model and milestone, by campaign and channel', async () => {
    await fc.assert(
      fc.asyncProperty(seeds, fc.constantFrom(...ATTRIBUTION_MODELS), fc.constantFrom(...MILESTONES), fc.constantFrom('CAMPAIGN', 'CHANNEL' as const),
        async (seed, model, milestone, by) => {
          const events = await load(seed);
          const params = { ...period, model, milestone, by, lookbackDays: 30, halfLifeDays: 7 };
          expectClose(await runAttribution(ch, params), attributionReport(events, params));
        }),
      { numRuns: 25 },
    );
  });

  const stage = fc.constantFrom(...FUNNEL_STAGES);
  const breakdown = fc.option(fc.constantFrom(...DIMENSIONS), { nil: undefined });
  const windowDays = fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined });

  it('funnel, cohorts and velocity for any anchor, window and breakdown', async () => {
    await fc.assert(
      fc.asyncProperty(seeds, stage, stage, windowDays, breakdown, fc.constantFrom(...GRAINS),
        async (seed, anchor, other, window, by, grain) => {
          const events = await load(seed);
          const f = { ...period, anchor, windowDays: window, breakdown: by };
          expectClose(await runFunnel(ch, f), funnelReport(events, f));
          const c = { ...period, grain, target: other, anchor, windowDays: window, asOf: '2026-02-20T00:00:00.000Z' };
          expectClose(await runCohorts(ch, c), cohortReport(events, c));
          const v = { ...period, fromStage: anchor, toStage: other, breakdown: by };
          expectClose(await runVelocity(ch, v), velocityReport(events, v));
        }),
      { numRuns: 25 },
    );
  });

  it('SLA, lead quality, reconciliation and score calibration', async () => {
    await fc.assert(
      fc.asyncProperty(seeds, breakdown, fc.constantFrom(60, 1440, 2880), fc.constantFrom('2026-01-20T00:00:00.000Z', '2026-04-01T00:00:00.000Z'),
        async (seed, by, limit, asOf) => {
          const events = await load(seed);
          const sla = { ...period, asOf, speedToLeadMinutes: limit, breakdown: by };
          expectClose(await runSla(ch, sla), slaReport(events, sla));
          expectClose(await runLeadQuality(ch, sla), leadQualityVsHandling(events, sla));
          const rec = { ...period, breakdown: by };
          expectClose(await runReconciliation(ch, { ...rec, withLeadIds: true }), reconciliationReport(events, rec));
          expectClose(await runScoreCalibration(ch, { ...period, bands: [10, 50, 75] }), scoreCalibration(events, { ...period, bands: [10, 50, 75] }));
        }),
      { numRuns: 20 },
    );
  });

  it('campaign performance', async () => {
    await fc.assert(
      fc.asyncProperty(seeds, fc.constantFrom(...ATTRIBUTION_MODELS), async (seed, model) => {
        const events = await load(seed);
        const p = { from: '2026-01-10T00:00:00.000Z', to: '2026-02-10T00:00:00.000Z', model, lookbackDays: 30, halfLifeDays: 7 };
        expectClose(await runCampaignPerformance(ch, p), campaignPerformance(events, p));
      }),
      { numRuns: 10 },
    );
  });

  it('definition evidence: stage entries and end-of-period evidence', async () => {
    await fc.assert(
      fc.asyncProperty(seeds, async (seed) => {
        const events = await load(seed);
        const byLead = <T extends { leadId?: string; evidence?: { leadId: string }; stage?: string }>(xs: T[]) =>
          [...xs].sort((a, b) => JSON.stringify([a.evidence?.leadId ?? a.leadId, a.stage]).localeCompare(JSON.stringify([b.evidence?.leadId ?? b.leadId, b.stage])));
        expectClose(byLead(await runEntryEvidence(ch, period)), byLead(entriesOf(events, period.from, period.to)));
        expectClose(byLead(await runCapturedEvidence(ch, period)), byLead(capturedEvidenceOf(events, period.from, period.to)));
      }),
      { numRuns: 15 },
    );
  });

  it('stalled opportunities and pipeline velocity as of several dates', async () => {
    await fc.assert(
      fc.asyncProperty(seeds, fc.constantFrom('2026-02-01T00:00:00.000Z', '2026-03-01T12:00:00.000Z', '2026-06-01T00:00:00.000Z'),
        async (seed, asOf) => {
          const events = await load(seed);
          const stallDays = { default: 21, byStage: { proposal: 3 } };
          const expected = stalledOpportunities(events, { asOf, stallDays });
          const page = await runStalled(ch, { asOf, stallDays, limit: 1000 });
          expect(page.totalCount).toBe(expected.length);
          expectClose(page.items, expected);
          expectClose(await runPipelineVelocity(ch, { asOf, trailingDays: 60 }), pipelineVelocity(events, { asOf, trailingDays: 60 }));
        }),
      { numRuns: 15 },
    );
  });
});
