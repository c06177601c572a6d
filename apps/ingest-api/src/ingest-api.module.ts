import { Module } from '@nestjs/common';
import { IngestController } from './ingest/ingest.controller';
import { IngestService } from './ingest/ingest.service';
import { StatusController } from './status/status.controller';

/** HTTP in: validate, dedupe, append to the log. Infrastructure comes from the composition root. */
@Module({
  controllers: [IngestController, StatusController],
  providers: [IngestService],
})
export class IngestApiModule {}
