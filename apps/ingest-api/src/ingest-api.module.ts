import { Module } from '@nestjs/common';
import { IngestController } from './ingest/ingest.controller';
import { IngestService } from './ingest/ingest.service';
import { ImportController } from './import/import.controller';
import { ImportService } from './import/import.service';
import { StatusController } from './status/status.controller';

/** HTTP in: validate, dedupe, append to the log. Infrastructure comes from the composition root. */
@Module({
  controllers: [IngestController, StatusController, ImportController],
  providers: [IngestService, ImportService],
})
export class IngestApiModule {}
