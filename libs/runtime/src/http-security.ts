import type { AppConfig } from '@funnel/config';
import { authenticateMiddleware, principalOf } from '@funnel/platform';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import helmet from 'helmet';

/**
 * Security headers (helmet's defaults: CSP, HSTS, nosniff, frame-ancestors...). /graphql answers
 * JSON, except Apollo's landing page for a browser, which loads its sandbox from Apollo's CDN; a
 * CSP of 'self' would break it, so that path gets every header but CSP.
 */
export function securityHeaders(): RequestHandler {
  const everywhere = helmet();
  const forGraphql = helmet({ contentSecurityPolicy: false });
  return (req, res, next) => (req.path === '/graphql' ? forGraphql : everywhere)(req, res, next);
}

/**
 * RATE_LIMIT_PER_MINUTE requests per key per minute (a fixed window), 429 with Retry-After
 * beyond. Keyed by the key's name, so one client cannot crowd out another by spreading over
 * addresses; requests without a valid key count per address, which slows guessing. Open mode has
 * no keys to tell callers apart and serves loopback only, so it is not limited; nor is /health.
 */
export function rateLimitMiddleware(config: AppConfig): RequestHandler {
  if (config.apiKeys.length === 0 || config.rateLimitPerMinute === 0) return (_req, _res, next) => next();
  return rateLimit({
    windowMs: 60_000,
    limit: config.rateLimitPerMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    skip: (req) => req.path === '/health',
    keyGenerator: (req) => {
      const caller = principalOf(req);
      return caller ? `key:${caller.name}` : `ip:${ipKeyGenerator(req.ip ?? '')}`;
    },
    handler: (req: Request, res: Response, _next: NextFunction) => {
      const message = `more than ${config.rateLimitPerMinute} requests per minute for this key; retry after ${String(res.getHeader('retry-after'))} s`;
      if (req.path === '/graphql') res.status(429).json({ errors: [{ message, extensions: { code: 'RATE_LIMITED' } }] });
      else res.status(429).json({ error: 'RATE_LIMITED', message });
    },
  });
}

/** Who is calling (before the rate limit, which counts per key), then how often. */
export function accessMiddlewares(config: AppConfig): RequestHandler[] {
  return [authenticateMiddleware(config.apiKeys), rateLimitMiddleware(config)];
}
