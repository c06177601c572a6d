import type { NextFunction, Request, Response } from 'express';
import { timingSafeEqual } from 'node:crypto';

function matches(given: string, keys: readonly string[]): boolean {
  const g = Buffer.from(given);
  return keys.some((k) => {
    const b = Buffer.from(k);
    return b.length === g.length && timingSafeEqual(b, g);
  });
}

/**
 * When API_KEYS is set, data endpoints require `Authorization: Bearer <key>` or `X-API-Key`.
 * Health and metrics stay open for orchestrators and scrapers.
 */
export function apiKeyMiddleware(keys: readonly string[]) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (keys.length === 0) return next();
    const header = req.header('x-api-key') ?? req.header('authorization')?.replace(/^Bearer\s+/i, '');
    if (header && matches(header, keys)) return next();
    res.status(401).json({ error: 'UNAUTHORIZED', message: 'a valid API key is required (Authorization: Bearer <key> or X-API-Key)' });
  };
}
