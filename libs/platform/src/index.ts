export * from './tokens';
export * from './observability.controller';
export * from './api-key.middleware';
export * from './report-url-key.middleware';
