/** DI tokens for infrastructure built by each app's composition root and shared by modules. */
export const APP_CONFIG = Symbol('APP_CONFIG');
export const READ_MODEL = Symbol('READ_MODEL');
/** Named health checks: each resolves when its dependency answers, throws otherwise. */
export const HEALTH_CHECKS = Symbol('HEALTH_CHECKS');

export type HealthChecks = Record<string, () => Promise<unknown>>;
