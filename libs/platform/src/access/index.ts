export * from './principal';
export * from './authenticate.middleware';
export * from './access.guard';
export * from './actor';
