import { Inject, Injectable } from '@nestjs/common';
import { CLICKHOUSE, type ClickHouse } from '@funnel/clickhouse';
import type { FunnelDefinition } from '@funnel/domain';
import { DEFINITION_CATALOG, type DefinitionCatalog } from './definition-catalog.port';

/** What every report resolver needs: the facts store and the definition version in force. */
@Injectable()
export class ReportContext {
  constructor(
    @Inject(CLICKHOUSE) readonly ch: ClickHouse,
    @Inject(DEFINITION_CATALOG) private readonly definitions: DefinitionCatalog,
  ) {}

  definition(version?: number | null): Promise<FunnelDefinition> {
    return this.definitions.get(version);
  }
}
