import { Module } from '@nestjs/common';
import type { OpenApiPart } from '@funnel/platform';
import { IngestController } from './ingest/ingest.controller';
import { INGEST_OPENAPI } from './ingest/ingest.openapi';
import { IngestService } from './ingest/ingest.service';
import { ImportController } from './import/import.controller';
import { IMPORT_OPENAPI } from './import/import.openapi';
import { ImportService } from './import/import.service';
import { RetractController } from './retract/retract.controller';
import { RETRACT_OPENAPI } from './retract/retract.openapi';
import { StatusController } from './status/status.controller';
import { STATUS_OPENAPI } from './status/status.openapi';

/** The OpenAPI parts of this module's endpoints, for the composition roots' /docs. */
export const INGEST_API_OPENAPI: readonly OpenApiPart[] = [INGEST_OPENAPI, STATUS_OPENAPI, IMPORT_OPENAPI, RETRACT_OPENAPI];

/** HTTP in: validate, dedupe, append to the log. Infrastructure comes from the composition root. */
@Module({
  controllers: [IngestController, RetractController, StatusController, ImportController],
  providers: [IngestService, ImportService],
})
export class IngestApiModule {}
