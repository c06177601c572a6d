import type { FunnelDefinition } from '@funnel/domain';

/** Published funnel definitions; reports resolve `definitionVersion` (default latest) through it. */
export interface DefinitionCatalog {
  /** The published version, or the latest when omitted; throws ReportInputError for an unknown one. */
  get(version?: number | null): Promise<FunnelDefinition>;
}

export const DEFINITION_CATALOG = Symbol('DEFINITION_CATALOG');
