export * from './config.schema';
export * from './app-config';
export * from './access.config';
export * from './alert-config';
export * from './fault-config';
export * from './report-limits.config';
