import { readFileSync } from 'node:fs';
import { printReportingSchema } from './print-schema';
import { SCHEMA_FILE } from './schema-file';

describe('schema.graphql', () => {
  it('is up to date with the resolvers (run `npm run schema` after changing them)', async () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(await printReportingSchema());
  });

  it('holds the DESIGN §5 contract names', async () => {
    const sdl = await printReportingSchema();
    for (const name of [
      'funnel(', 'cohorts(', 'velocity(', 'attribution(', 'slaCompliance(', 'stalledOpportunities(', 'reconciliation(',
      'pipelineVelocity(', 'enum FunnelStage', 'enum Dimension', 'enum Grain', 'enum AttributionModel', 'enum Milestone',
      'type FunnelReport', 'type StalledOpportunityConnection', 'type PageInfo', 'type ReconciliationRow',
    ]) {
      expect(sdl).toContain(name);
    }
  });
});
