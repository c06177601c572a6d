export * from './data-source';
export * from './embedded-postgres';
export * from './data-dir-lock';
export * from './dead-letter-counts';
export * from './transient-error';
