export * from './event-generator';
