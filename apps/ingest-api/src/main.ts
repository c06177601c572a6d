import 'reflect-metadata';
import { loadAppConfig } from '@funnel/config';
import { runMain } from '@funnel/runtime';
import { startIngestApi } from './ingest-api.app';

runMain('ingest-api', (log) => startIngestApi(loadAppConfig('ingest-api'), log));
