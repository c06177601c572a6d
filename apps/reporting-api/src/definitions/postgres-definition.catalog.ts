import { Injectable } from '@nestjs/common';
import { definitionVersion, DefinitionError, type FunnelDefinition } from '@funnel/domain';
import type { DefinitionCatalog } from '../common/definition-catalog.port';
import { ReportInputError } from '../common/report-input.error';
import { DefinitionStore } from './definition.store';

/** Published versions from the read model; reports default to the latest. */
@Injectable()
export class PostgresDefinitionCatalog implements DefinitionCatalog {
  constructor(private readonly store: DefinitionStore) {}

  async get(version?: number | null): Promise<FunnelDefinition> {
    try {
      return definitionVersion(await this.store.registry(), version);
    } catch (e) {
      if (e instanceof DefinitionError) throw new ReportInputError('definitionVersion', e.message, e.code);
      throw e;
    }
  }
}
