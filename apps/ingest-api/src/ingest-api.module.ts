import { Module } from '@nestjs/common';
import { DocsController } from './docs/docs.controller';
import { IngestController } from './ingest/ingest.controller';
import { IngestService } from './ingest/ingest.service';
import { StatusController } from './status/status.controller';

/** HTTP in: validate, dedupe, append to the log. Infrastructure comes from the composition root. */
@Module({
  controllers: [IngestController, StatusController, DocsController],
  providers: [IngestService],
})
export class IngestApiModule {}
