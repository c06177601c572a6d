import 'reflect-metadata';
import { loadAppConfig } from '@funnel/config';
import { runMain } from '@funnel/runtime';
import { startReportingApi } from './reporting-api.app';

runMain('reporting-api', (log) => startReportingApi(loadAppConfig('reporting-api'), log));
