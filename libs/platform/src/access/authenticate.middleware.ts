import type { ApiKey } from '@funnel/config';
import type { NextFunction, Request, Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { LOCAL_PRINCIPAL, principalOfKey, setPrincipal } from './principal';

/** The secret a request presents: `Authorization: Bearer <secret>` or `X-API-Key: <secret>`. */
export function presentedSecret(req: Request): string | undefined {
  return req.header('x-api-key') ?? req.header('authorization')?.replace(/^Bearer\s+/i, '');
}

/**
 * The key whose hash the presented secret has. Comparing digests of equal length in constant
 * time means neither a secret's length nor its prefix leaks through the timing; every key is
 * compared, so which one matched does not either.
 */
export function keyOf(secret: string | undefined, keys: readonly ApiKey[]): ApiKey | undefined {
  if (secret === undefined || secret === '') return undefined;
  const digest = createHash('sha256').update(secret, 'utf8').digest();
  let found: ApiKey | undefined;
  for (const key of keys) {
    if (timingSafeEqual(digest, Buffer.from(key.secretSha256, 'hex')) && found === undefined) found = key;
  }
  return found;
}

export const UNAUTHORIZED_MESSAGE = 'a valid API key is required (Authorization: Bearer <key> or X-API-Key)';

/**
 * Puts the caller on the request (`principalOf(req)`): the key's, `local` in open mode (no
 * keys), none for a request without a valid key. Routes decide what they need (AccessGuard);
 * GraphQL, whose every operation needs a caller, answers 401 here for the whole request, in
 * GraphQL's shape so its clients read the code.
 */
export function authenticateMiddleware(keys: readonly ApiKey[]) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (keys.length === 0) {
      setPrincipal(req, LOCAL_PRINCIPAL);
      return next();
    }
    const key = keyOf(presentedSecret(req), keys);
    if (key) setPrincipal(req, principalOfKey(key));
    else if (req.path === '/graphql' || req.path.startsWith('/graphql/')) {
      return res.status(401).json({ errors: [{ message: UNAUTHORIZED_MESSAGE, extensions: { code: 'UNAUTHENTICATED' } }] });
    }
    next();
  };
}
