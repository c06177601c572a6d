import 'reflect-metadata';
import { loadAppConfig } from '@funnel/config';
import { runMain } from '@funnel/runtime';
import { startProjector } from './projector.app';

runMain('projector', (log) => startProjector(loadAppConfig('projector'), log));
