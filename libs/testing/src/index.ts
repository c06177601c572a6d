export * from './event-generator';
export * from './test-databases';
export * from './expect-eventually';
export * from './event-builders';
export * from './csv';
