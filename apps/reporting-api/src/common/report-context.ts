import { Inject, Injectable } from '@nestjs/common';
import { CLICKHOUSE, type ClickHouse } from '@funnel/clickhouse';
import type { FunnelDefinition } from '@funnel/domain';
import { DEFINITION_CATALOG, type DefinitionCatalog } from './definition-catalog.port';
import { laneClickHouse } from './report-gate';

/** What every report resolver needs: the facts store and the definition version in force. */
@Injectable()
export class ReportContext {
  constructor(
    @Inject(CLICKHOUSE) private readonly shared: ClickHouse,
    @Inject(DEFINITION_CATALOG) private readonly definitions: DefinitionCatalog,
  ) {}

  /** The connection of the lane the report was scheduled in (ReportGate); the shared one outside a report. */
  get ch(): ClickHouse {
    return laneClickHouse.getStore() ?? this.shared;
  }

  definition(version?: number | null): Promise<FunnelDefinition> {
    return this.definitions.get(version);
  }
}
