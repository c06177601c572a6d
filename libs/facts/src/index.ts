export * from './fact-tables';
export { chTime, factsOf, type FactRow } from './facts-of';
export { compactState, FACT_MIGRATIONS_DIR, insertFacts, migrateFacts, truncateFacts } from './fact-store';
