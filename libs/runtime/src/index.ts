export * from './runtime';
export * from './runtime.module';
export * from './http-app';
export * from './process-main';
export * from './start-app';
export * from './logger';
export * from './request-id';
