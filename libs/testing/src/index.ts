export * from './event-generator';
export * from './test-databases';
