import { VERSION_ONE, type FunnelDefinition } from '@funnel/domain';
import type { DefinitionCatalog } from './definition-catalog.port';
import { ReportInputError } from './report-input.error';

/** Only version 1 (DESIGN defaults): the catalog before any definition has been published. */
export class StaticDefinitionCatalog implements DefinitionCatalog {
  async get(version?: number | null): Promise<FunnelDefinition> {
    if (version === undefined || version === null || version === 1) return VERSION_ONE;
    throw new ReportInputError('definitionVersion', `no published definition version ${version}; the latest is 1`, 'DEFINITION_NOT_FOUND');
  }
}
