import 'reflect-metadata';
import { loadConfig } from '@funnel/config';
import { runMain } from '@funnel/runtime';
import { startStandalone } from './standalone.app';

runMain('funnel-ledger', (log) => startStandalone(loadConfig(), log));
