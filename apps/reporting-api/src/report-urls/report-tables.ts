/**
 * How each report of the GraphQL API becomes a flat table for `GET /v1/reports/<query>.csv`.
 * A table names only the path from the report's value down to one CSV row (one row per group
 * and stage, per cohort, per key...); its columns are every scalar field along that path, read
 * from the schema, so a field added to a report appears in its CSV without touching this file.
 */
export interface ReportTable {
  /** Fields from the report's value down to a row; each may be a list (one row per item) or an object. */
  readonly rows: readonly string[];
  /** Fields left out of the URL form: lists of ids that belong to the lookups. */
  readonly omit?: readonly string[];
}

export const REPORT_TABLES: Readonly<Record<string, ReportTable>> = {
  funnel: { rows: ['groups', 'stages'] },
  cohorts: { rows: [] },
  velocity: { rows: [] },
  attribution: { rows: ['rows'] },
  slaCompliance: { rows: [] },
  stalledOpportunities: { rows: ['edges', 'node'] },
  reconciliation: { rows: [] },
  pipelineVelocity: { rows: [] },
  campaignPerformance: { rows: [] },
  leadQualityVsHandling: { rows: [] },
  scoreCalibration: { rows: [] },
  definitionCompliance: { rows: [], omit: ['compliantLeadIds', 'nonCompliantLeadIds'] },
  compareDefinitions: { rows: ['stages'] },
  compareDefinitionDraft: { rows: ['stages'] },
  campaigns: { rows: [] },
  routingCoverage: { rows: [] },
  routingCoverageLeads: { rows: ['edges', 'node'], omit: ['totalCount'] },
  activityVsMovement: { rows: [] },
  conversionChange: { rows: ['rows'] },
  reviewSample: { rows: ['items'] },
  reviewHistory: { rows: ['decisions'] },
  // A CSV of a record list holds every record: its row count is the total.
  leads: { rows: ['edges', 'node'], omit: ['totalCount'] },
  opportunities: { rows: ['edges', 'node'], omit: ['totalCount'] },
  alertDeliveries: { rows: ['edges', 'node'], omit: ['totalCount', 'attempts'] },
};

/** Query fields that are not reports: one record by id, the ingestion status, definition documents. */
export const NOT_REPORTS: readonly string[] = ['status', 'lead', 'opportunity', 'funnelDefinition', 'funnelDefinitions', 'funnelDefinitionDrafts'];
