export * from './tokens';
export * from './observability.controller';
export * from './api-key.middleware';
export * from './openapi';
export * from './api-key.openapi';
export * from './observability.openapi';
